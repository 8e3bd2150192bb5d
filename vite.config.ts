import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const API_TARGET = 'http://127.0.0.1:3000';
const proxied = {
  ...Object.fromEntries(['/api', '/ogc', '/docs'].map((prefix) => [prefix, API_TARGET])),
  // the live stream (Socket.IO upgrades to a WebSocket)
  '/socket.io': { target: API_TARGET, ws: true },
};

/**
 * Heavy vendor code in chunks of its own: the page shell (React, i18n) paints before MapLibre and
 * deck.gl arrive, and the vendor chunks stay cached across deploys of the app code.
 */
const VENDOR_GROUPS = [
  // First, so the shell's chunk owns Vite's preload helper (deck.gl's dynamic imports would pull it
  // into the deck.gl chunk, and the shell would then wait for all of deck.gl).
  {
    name: 'ui',
    test: /node_modules[\\/](react|react-dom|scheduler|i18next|react-i18next)[\\/]|vite\/preload-helper/,
  },
  { name: 'maplibre', test: /node_modules[\\/]maplibre-gl[\\/]/ },
  // the live stream's client: opened once the first picture is up (live-connection.ts)
  {
    name: 'socket-io',
    test: /node_modules[\\/](socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io[\\/]component-emitter|xmlhttprequest-ssl)[\\/]/,
  },
  {
    name: 'deckgl',
    // not the tile layers and their parser (below)
    test: /node_modules[\\/](@deck\.gl[\\/](?!geo-layers|extensions)|@luma\.gl|@loaders\.gl[\\/](?!mvt|gis)|@math\.gl[\\/](?!polygon|culling)|@probe\.gl|mjolnir\.js)/,
  },
  // deck.gl's tile layers and the MVT parser: the unit grids' chunk, loaded after the first map (after
  // deck.gl's group, which keeps the deck.gl they share)
  {
    name: 'deck-tiles',
    test: /node_modules[\\/](@deck\.gl[\\/](geo-layers|extensions)|@loaders\.gl[\\/](mvt|gis)|@math\.gl[\\/](polygon|culling))[\\/]/,
  },
];

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: { output: { codeSplitting: { groups: VENDOR_GROUPS } } },
  },
  server: { proxy: proxied },
  preview: { proxy: proxied },
});
