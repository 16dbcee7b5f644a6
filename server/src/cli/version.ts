import { version as packageVersion } from '../../../package.json';

export const VERSION: string = packageVersion;
