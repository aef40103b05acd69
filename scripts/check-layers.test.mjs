import { describe, expect, it } from 'vitest';
import { checkLayers, importsOf } from './check-layers.mjs';

describe('layer check', () => {
  it('finds static, dynamic, side-effect and require imports', () => {
    expect(importsOf(`import a from 'x';\nimport { b } from "./y.js";\nexport * from './z';\nconst c = await import('w');\nimport 'side';\nrequire('r')`)).toEqual([
      'x',
      './y.js',
      './z',
      'w',
      'side',
      'r',
    ]);
  });

  it('accepts the allowed shapes', () => {
    expect(
      checkLayers([
        { path: 'renderer/src/App.tsx', text: "import { z } from '../../preload/contract';\nimport { LAYOUTS } from '../../preload/layouts';\nimport React from 'react';" },
        { path: 'main/electron/main.ts', text: "import { app } from 'electron';" },
        { path: 'preload/index.ts', text: "import { contextBridge } from 'electron';\nimport { x } from './contract';" },
        { path: 'preload/contract.ts', text: "import { z } from 'zod';" },
        { path: 'main/console.ts', text: "import { x } from '../preload/contract.js';\nimport { spawn } from 'node:child_process';" },
      ]),
    ).toEqual([]);
  });

  it('fails on each forbidden import', () => {
    const problems = checkLayers([
      { path: 'main/console.ts', text: "import { app } from 'electron';" },
      { path: 'renderer/src/x.ts', text: "import { readFileSync } from 'node:fs';" },
      { path: 'renderer/src/y.ts', text: "import { Console } from '../../main/console';" },
      { path: 'renderer/src/z.ts', text: "import { WebSocketServer } from 'ws';" },
      { path: 'renderer/src/w.ts', text: "import { x } from '../../preload/index';" },
      { path: 'preload/contract.ts', text: "import { readFileSync } from 'node:fs';" },
      { path: 'main/wall/wall.ts', text: "import { Tile } from '../../renderer/src/wall/Tile';" },
    ]);
    expect(problems).toHaveLength(7);
    expect(problems[0]).toContain("only main/electron/ and the preload may import 'electron'");
  });
});
