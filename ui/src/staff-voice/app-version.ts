/** The dashboard's version, sent with feedback: the package version the build was made from. */
import { version } from '../../../package.json';

export const APP_VERSION: string = version;
