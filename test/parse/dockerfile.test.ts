import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { imageOf, parseDockerfile, MAX_DOCKERFILE_CHARS } from '../../server/src/parse/dockerfile';
import { classifyEnvFile, envFileErrors, isDockerfileName, parseEnvFile } from '../../server/src/model/files';
import type { DockerfileModel } from '../../server/src/parse/envTypes';
import { assertRangesInside, slice } from './env.helpers';

function parse(text: string): DockerfileModel {
  const m = parseDockerfile(text, 'file:///app/Dockerfile');
  assertRangesInside(m, text);
  // Each key's range covers the key as written.
  for (const e of m.entries) assert.equal(slice(text, e.keyRange), e.key);
  return m;
}

const rows = (m: DockerfileModel) => m.entries.map((e) => [e.key, e.value ?? null, e.stage ?? null]);

describe('ENV forms', () => {
  test('key=value pairs, quotes, escapes, continued lines with a comment inside', () => {
    const text = ['FROM python:3.12-slim', 'ENV PYTHONUNBUFFERED=1 \\', '    # why: logs at once', '    APP_HOME="/srv/my app" MSG=\'single quoted\' SPACED=a\\ b', 'ENV QUOTED="say \\"hi\\""', ''].join('\n');
    assert.deepEqual(rows(parse(text)), [
      ['PYTHONUNBUFFERED', '1', null],
      ['APP_HOME', '/srv/my app', null],
      ['MSG', 'single quoted', null],
      ['SPACED', 'a b', null],
      ['QUOTED', 'say "hi"', null],
    ]);
  });

  test('the legacy `ENV key value` form takes the rest of the line', () => {
    assert.deepEqual(rows(parse('FROM x\nENV DJANGO_SETTINGS_MODULE config.settings.production\n')), [['DJANGO_SETTINGS_MODULE', 'config.settings.production', null]]);
  });

  test('a value expanded at build time is not a literal; an empty one is', () => {
    const m = parse('FROM x\nARG V=1\nENV PATH=/venv/bin:$PATH VERSION=${V} EMPTY=\n');
    assert.deepEqual(rows(m), [['PATH', null, null], ['VERSION', null, null], ['EMPTY', '', null]]);
  });

  test('a key set twice keeps its last instruction', () => {
    const text = 'FROM x\nENV MODE=dev\nENV MODE=prod\n';
    const m = parse(text);
    assert.deepEqual(rows(m), [['MODE', 'prod', null]]);
    assert.equal(m.entries[0].keyRange.start.line, 2);
  });

  test('the escape directive, CRLF line ends, lower-case keywords', () => {
    assert.deepEqual(rows(parse('# escape=`\r\nFROM x\r\nenv A=1 `\r\n    B=2\r\n')), [['A', '1', null], ['B', '2', null]]);
  });

  test('heredoc bodies and RUN lines are not ENV', () => {
    assert.deepEqual(rows(parse('FROM x\nRUN <<EOF\nENV FAKE=1\nexport ALSO_FAKE=1\nEOF\nRUN export NOT_ENV=1\nENV REAL=1\n')), [['REAL', '1', null]]);
  });
});

describe('stages: only the image the build produces', () => {
  test('a builder stage does not reach the final image', () => {
    const text = 'FROM python:3.12 AS builder\nENV PIP_NO_CACHE_DIR=1 BUILD_ONLY=1\nFROM python:3.12-slim\nENV RUNTIME=1\n';
    assert.deepEqual(rows(parse(text)), [['RUNTIME', '1', null]]);
  });

  test('a stage built on a named stage inherits its ENV (names compared without case)', () => {
    const text = ['FROM python:3.12 AS Base', 'ENV IN_BASE=1 SHARED=base', 'FROM base AS assets', 'ENV IN_ASSETS=1', 'FROM BASE AS final', 'ENV SHARED=final', ''].join('\n');
    assert.deepEqual(rows(parse(text)), [['IN_BASE', '1', 'base'], ['SHARED', 'final', 'final']]);
  });

  test('a build target (compose build.target) takes its own chain; an unknown target is no image', () => {
    // nautobot's docker/Dockerfile: `FROM system-dev-dependencies-${ARCH}`, targets dev and final.
    const text = [
      'ARG ARCH=amd64',
      'FROM python:3.12-slim AS system',
      'ENV IN_SYSTEM=1',
      'FROM system AS deps-amd64',
      'ENV ARCH_ONLY=amd64',
      'FROM system AS deps-arm64',
      'ENV ARCH_ONLY=arm64',
      'FROM deps-${ARCH} AS dev',
      'ENV IN_DEV=1',
      'FROM ${BASE_IMAGE} AS Final',
      'ENV IN_FINAL=1',
      '',
    ].join('\n');
    const m = parse(text);
    const image = (t?: string) => {
      const i = imageOf(m, t);
      return i && [i.baseImage ?? null, i.entries.map((e) => `${e.key}=${e.value}@${e.stage}`)];
    };
    // `deps-${ARCH}` is the nearest earlier stage its name can be; `${BASE_IMAGE}` is an image, not a stage.
    assert.deepEqual(image('dev'), ['python', ['IN_SYSTEM=1@system', 'ARCH_ONLY=arm64@deps-arm64', 'IN_DEV=1@dev']]);
    assert.deepEqual(image('FINAL'), ['${base_image}', ['IN_FINAL=1@final']]);
    assert.deepEqual(image(), image('final'));
    assert.deepEqual(rows(m), [['IN_FINAL', '1', 'final']]);
    assert.equal(imageOf(m, 'prod'), undefined);
    assert.equal(imageOf(parse(''), 'dev'), undefined);
  });

  test('ENV before any FROM, and a file without FROM, give nothing', () => {
    assert.deepEqual(rows(parse('ENV EARLY=1\nFROM x\n')), []);
    assert.deepEqual(rows(parse('ENV ONLY=1\n')), []);
    assert.deepEqual(rows(parse('')), []);
  });
});

describe('hostile and odd input: an error or a bounded result, never a throw', () => {
  test('binary and oversized files are reported, not read', () => {
    assert.deepEqual(parseDockerfile('FROM x\0\nENV A=1\n', 'file:///a/Dockerfile').errors.map((e) => e.code), ['binary-file']);
    const big = parseDockerfile(`FROM x\nENV A=${'x'.repeat(MAX_DOCKERFILE_CHARS)}\n`, 'file:///a/Dockerfile');
    assert.deepEqual([big.entries.length, big.errors.map((e) => e.code)], [0, ['file-too-large']]);
  });

  test('a stage reference of 60 variables against 2,000 long stage names: no backtracking, within the budget', () => {
    const stages = Array.from({ length: 2000 }, (_, i) => `FROM python AS ${'a'.repeat(150)}${i}\nENV K${i}=1`).join('\n');
    const text = `${stages}\nFROM ${'a${X}'.repeat(60)}b AS final\nENV Z=1\n`;
    const t0 = performance.now();
    const m = parseDockerfile(text, 'file:///a/Dockerfile');
    const final = imageOf(m, 'final');
    const ms = performance.now() - t0;
    assert.ok(ms < 1500, `${ms.toFixed(0)} ms`);
    // No stage ends in b: the reference names no stage, so it is an image of its own.
    assert.deepEqual(final?.entries.map((e) => e.key), ['Z']);
  });

  test('a near-limit single line of 200,000 pairs, a 900 KB key, 20,000 instructions: within a second each', () => {
    for (const text of ['FROM x\nENV ' + 'A=1 '.repeat(200_000) + '\n', `FROM x\nENV ${'K'.repeat(900_000)}=1\n`, 'FROM x\n' + Array.from({ length: 20_000 }, (_, i) => `ENV V${i}=${i}`).join('\n')]) {
      const t0 = performance.now();
      const m = parseDockerfile(text, 'file:///a/Dockerfile');
      const ms = performance.now() - t0;
      assert.ok(ms < 1500, `${ms.toFixed(0)} ms`);
      assert.deepEqual(m.errors, []);
      assert.ok(m.entries.length >= 1);
    }
  });

  test('unterminated quotes, dangling continuations, keys that are not variable names', () => {
    const m = parse('FROM x\nENV A="open B=2 \\\nENV 1BAD=1 GOOD-ISH=2 OK=3 \\\n');
    assert.deepEqual(m.errors, []);
    assert.ok(m.entries.every((e) => /^[A-Za-z_]\w*$/.test(e.key)));
  });
});

describe('file names', () => {
  test('Dockerfile, its variants and Containerfile are Dockerfiles; others are not', () => {
    for (const n of ['Dockerfile', 'dockerfile', 'Dockerfile.prod', 'Dockerfile-dev', 'web.Dockerfile', 'app.dockerfile', 'Containerfile']) {
      assert.ok(isDockerfileName(n), n);
      assert.equal(classifyEnvFile(`/r/${n}`), 'dockerfile', n);
    }
    for (const n of ['Dockerfile.py', 'Dockerfile.j2', 'Dockerfile.template', 'dockerfiles', 'my-Dockerfile.txt', '.dockerignore']) assert.equal(classifyEnvFile(`/r/${n}`) === 'dockerfile', false, n);
  });
});

describe('base image', () => {
  test('the final stage’s base through named stages, without registry, tag or digest', () => {
    const base = (t: string) => parseDockerfile(t, 'file:///a/Dockerfile').baseImage;
    assert.equal(base('FROM python:3.12-slim AS base\nFROM node:20 AS assets\nFROM base\n'), 'python');
    assert.equal(base('FROM quay.io/keycloak/keycloak:21.0@sha256:abc\n'), 'keycloak/keycloak');
    assert.equal(base('FROM localhost:5000/team/app\n'), 'team/app');
    assert.equal(base('FROM --platform=linux/amd64 node:20-alpine\n'), 'node');
    assert.equal(base('ENV A=1\n'), undefined);
  });
});

describe('through the file dispatcher', () => {
  test('a binary Dockerfile is one notice (the facts reader’s), kept for the parse-error rule', () => {
    const m = parseEnvFile('dockerfile', 'FROM x\0\nENV A=1\n', 'file:///a/Dockerfile');
    assert.deepEqual(envFileErrors(m).map((e) => e.code), ['binary-file']);
    assert.deepEqual(m.credentials.notices.map((e) => e.code), []);
  });
});

describe('instruction lines', () => {
  test('every ENV and ARG, continued lines included; a heredoc line that looks like one is RUN’s', () => {
    const m = parseDockerfile('ARG V=1\nFROM x\nENV A=1 \\\n    B=2\nRUN <<EOF\nENV_TOKEN=1\nEOF\n', 'file:///a/Dockerfile');
    assert.deepEqual(m.settings, [{ keyword: 'ARG', startLine: 0, endLine: 0 }, { keyword: 'ENV', startLine: 2, endLine: 3 }]);
  });
});
