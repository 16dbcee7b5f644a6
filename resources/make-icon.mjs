// Draws resources/orchard.png (128x128, the marketplace icon) without image libraries:
// a fig-green canopy over a brown trunk on a transparent background. Run: node resources/make-icon.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const N = 128;
const px = Buffer.alloc(N * (N * 4 + 1));
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const set = (x, y, [r, g, b]) => { const i = y * (N * 4 + 1) + 1 + x * 4; px[i] = r; px[i + 1] = g; px[i + 2] = b; px[i + 3] = 255; };
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    const canopy = ((x - 64) / 50) ** 2 + ((y - 52) / 40) ** 2 <= 1;
    const fig = ((x - 64) / 9) ** 2 + ((y - 50) / 11) ** 2 <= 1 || ((x - 40) / 8) ** 2 + ((y - 58) / 9) ** 2 <= 1 || ((x - 88) / 8) ** 2 + ((y - 58) / 9) ** 2 <= 1;
    const trunk = x >= 58 && x <= 70 && y >= 86 && y <= 118;
    const ground = y >= 116 && y <= 121 && x >= 30 && x <= 98;
    if (fig) set(x, y, [110, 50, 120]);
    else if (canopy) set(x, y, [62, 142, 65]);
    else if (trunk || ground) set(x, y, [121, 85, 61]);
  }
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0); ihdr.writeUInt32BE(N, 4); ihdr[8] = 8; ihdr[9] = 6;
writeFileSync(new URL('./orchard.png', import.meta.url), Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr), chunk('IDAT', deflateSync(px)), chunk('IEND', Buffer.alloc(0)),
]));
