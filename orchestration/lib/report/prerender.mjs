// Prerender an already compiled Evidence site again, with the current data, and write it like `evidence
// build` does: SvelteKit's prerender and adapter, then Evidence's content hashes of the data files.
//
// Run in the Evidence template folder (.evidence/template) of a project whose last `evidence build`
// compiled the same sources and saved SvelteKit's state (the `UPPSIKT_KIT_STATE` patch of @sveltejs/kit).
// Arguments: the @sveltejs/kit folder, the state file. The compile (Vite's server and client builds) is
// most of a build's time and depends only on the project's sources, never on the data; the prerender
// runs every page's queries against the data, so it is the part that has to run again.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { deserialize } from 'node:v8';

const [kitDir, statePath] = process.argv.slice(2);
const kit = (file) => import(pathToFileURL(path.join(kitDir, 'src', file)).href);

const { default: prerender } = await kit('core/postbuild/prerender.js');
const { adapt } = await kit('core/adapt/index.js');
const { load_config } = await kit('core/config/index.js');
const { generate_manifest } = await kit('core/generate_manifest/index.js');
const { get_env } = await kit('exports/vite/utils.js');
const { logger } = await kit('core/utils.js');

const state = deserialize(fs.readFileSync(statePath));
const config = await load_config();
const out = `${config.kit.outDir}/output`;
const env = get_env(config.kit.env, state.mode);
const log = logger({ verbose: state.verbose });
// The state names the folder it was compiled in; this copy may be elsewhere (a cached compile).
state.build_data.out_dir = out;

// What Vite copies from static/ into the client output at compile time (the data and the downloads)
// changes with the data: copy it again, after removing what the last build copied (so that no file the
// last site links to is written over, below).
for (const name of fs.readdirSync(config.kit.files.assets)) {
	fs.rmSync(`${out}/client/${name}`, { recursive: true, force: true });
}
fs.cpSync(config.kit.files.assets, `${out}/client`, { recursive: true });
fs.rmSync(`${out}/prerendered`, { recursive: true, force: true });

const { prerendered, prerender_map } = await prerender({
	out,
	manifest_path: `${out}/server/manifest-full.js`,
	metadata: state.metadata,
	verbose: state.verbose,
	env: { ...env.private, ...env.public }
});
const served = state.build_data.manifest_data.routes.filter((r) => prerender_map.get(r.id) !== true);
fs.writeFileSync(
	`${out}/server/manifest.js`,
	`export const manifest = ${generate_manifest({ build_data: state.build_data, relative_path: '.', routes: served })};\n`
);
await linkingCopies(() =>
	adapt(config, state.build_data, state.metadata, prerendered, prerender_map, log, { mode: state.mode })
);
const built = process.env.EVIDENCE_BUILD_DIR ?? 'build';
hashDataFiles(path.join(built, 'data'));
moveFolder(built, '../../build');

// The adapter copies the client output (the compiled scripts, about 100 MB) and the pages into the site;
// linking them takes no time and no space. No linked file is ever written to in place: a compile empties
// the client output, the files from static/ are removed above before they are copied in again, and the
// prerendered pages are removed before each prerender.
async function linkingCopies(write) {
	const copyFileSync = fs.copyFileSync;
	fs.copyFileSync = (from, to) => {
		try {
			fs.rmSync(to, { force: true });
			fs.linkSync(from, to);
		} catch {
			copyFileSync(from, to);
		}
	};
	try {
		await write();
	} finally {
		fs.copyFileSync = copyFileSync;
	}
}

// As `evidence build` copies the site to the project, but moved (the build folder there was removed).
function moveFolder(from, to) {
	try {
		fs.renameSync(from, to);
	} catch {
		fs.cpSync(from, to, { recursive: true });
	}
}

// As @evidence-dev/evidence's cli.js does after `vite build`: each data file moves into a folder named
// by the MD5 of its content, and the data manifest names the new paths, so browsers never use a stale copy.
function hashDataFiles(dataDir) {
	const manifestFile = path.join(dataDir, 'manifest.json');
	if (!fs.existsSync(manifestFile)) return;
	const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
	for (const files of Object.values(manifest.renderedFiles)) {
		for (let i = 0; i < files.length; i++) {
			const diskParts = files[i].split('/').slice(-3).join('/');
			const filePath = path.posix.join(dataDir, diskParts);
			if (!fs.existsSync(filePath)) continue;
			const hash = createHash('md5').update(fs.readFileSync(filePath)).digest('hex');
			const newDiskPart = path.posix.join(path.dirname(diskParts), hash, path.basename(diskParts));
			fs.mkdirSync(path.dirname(path.join(dataDir, newDiskPart)), { recursive: true });
			fs.renameSync(filePath, path.join(dataDir, newDiskPart));
			files[i] = files[i].replace(diskParts, newDiskPart);
		}
	}
	fs.writeFileSync(manifestFile, `${JSON.stringify(manifest)}\n`);
}
