// Renders the app icons in public/ from one SVG (the "B" of app/icon.svg), with sharp:
// 192 and 512 px "any" icons (rounded square), a 512 px maskable icon (full bleed, the glyph inside
// the 80% safe zone) and the 180 px apple-touch-icon (opaque, square: iOS rounds it itself).
// Run `npx tsx scripts/make-icons.ts` after changing the artwork, and commit the PNGs.
import { mkdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";

const INDIGO = "#4f46e5";
/** The "B" of app/icon.svg, drawn in a 32×32 box. */
const GLYPH =
  "M10 7h7.5c3.6 0 5.8 1.8 5.8 4.6 0 2-1.2 3.4-3 3.9 2.3.4 3.8 2 3.8 4.4 0 3.2-2.5 5.1-6.4 5.1H10V7zm4 3.2v4.4h3c1.6 0 2.5-.8 2.5-2.2s-.9-2.2-2.5-2.2h-3zm0 7.4v5.2h3.4c1.9 0 2.9-.9 2.9-2.6s-1-2.6-2.9-2.6H14z";

/** `radius`: corner radius in the 32 box (0 = square); `scale`: the glyph's size around the centre. */
function svg({ radius, scale }: { radius: number; scale: number }): string {
  const offset = 16 * (1 - scale);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect width="32" height="32" rx="${radius}" fill="${INDIGO}"/>
  <path transform="translate(${offset} ${offset}) scale(${scale})" d="${GLYPH}" fill="#fff"/>
</svg>`;
}

const ICONS = [
  { file: "icons/icon-192.png", size: 192, art: svg({ radius: 7, scale: 1 }) },
  { file: "icons/icon-512.png", size: 512, art: svg({ radius: 7, scale: 1 }) },
  // Maskable: the platform crops to any shape inside the centre circle of 80% diameter.
  { file: "icons/maskable-512.png", size: 512, art: svg({ radius: 0, scale: 0.75 }) },
  { file: "apple-touch-icon.png", size: 180, art: svg({ radius: 0, scale: 0.85 }) },
];

async function main(): Promise<void> {
  const out = path.join(__dirname, "..", "public");
  for (const icon of ICONS) {
    const target = path.join(out, icon.file);
    mkdirSync(path.dirname(target), { recursive: true });
    await sharp(Buffer.from(icon.art), { density: (72 * icon.size) / 32 })
      .resize(icon.size, icon.size)
      .png({ compressionLevel: 9 })
      .toFile(target);
    process.stdout.write(`${icon.file} ${icon.size}×${icon.size}\n`);
  }
}

void main();
