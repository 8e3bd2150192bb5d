/** This page's kiosk playlist (`?kiosk=…`), or null for an ordinary screen. */
import { kioskFromSearch } from './playlist.ts';

export const pageKiosk = kioskFromSearch(globalThis.location?.search ?? '');
