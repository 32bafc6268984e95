import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/engine/index.js';
import { createLuaVm, type LuaVm, runHealthScript } from '../../../src/engine/lua/index.js';

/**
 * Strings in customization scripts as gopher-lua gives them to Argo CD's scripts: with the open libraries,
 * `s:find`, `s:sub`, `s:gsub`, `s:match`, `string.format`… work, and the string metatable is the run's own
 * `string` table (functions a script adds are methods too; nothing reaches the next run). Without them
 * (argocd-cm without useOpenLibs) strings have no methods. And the sandbox holds: no io, no os.execute, no
 * require of files, no bytecode.
 */

const secret = {
  apiVersion: 'kubernetes-client.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'db-creds', namespace: 'shop' },
  spec: { replicas: 3 },
  status: { status: 'ERROR, could not reach vault', currentState: 'Provisioning pool 1' },
} as unknown as KubeObject;

const message = (script: string, opts: { openLibs?: boolean } = {}) =>
  runHealthScript(
    vm,
    `local m = (function() ${script} end)()\nreturn {status = "Healthy", message = tostring(m)}`,
    secret,
    opts,
  )?.message;

let vm: LuaVm;
beforeAll(async () => {
  vm = await createLuaVm({ limits: { timeoutMs: 300, memoryBytes: 8 * 1024 * 1024 } });
});
afterAll(() => vm.close());

describe('string methods with the open libraries', () => {
  it('run in the styles of Argo CD resource_customizations', () => {
    expect(message('return ("abc"):sub(1, 2)')).toBe('ab');
    expect(message('return obj.status.status:find("^ERROR") ~= nil')).toBe('true');
    expect(message('return (obj.status.status:gsub("ERROR, ", ""))')).toBe('could not reach vault');
    expect(message('local s, n = obj.status.status:gsub("o", "0") return s .. " " .. n')).toBe(
      'ERROR, c0uld n0t reach vault 2',
    );
    expect(message('return obj.status.currentState:match("pool (%d+)")')).toBe('1');
    expect(message('return string.match(obj.metadata.name, "^(%a+)-")')).toBe('db');
    expect(message('return string.format("%s has %d replicas", obj.metadata.name, obj.spec.replicas)')).toBe(
      'db-creds has 3 replicas',
    );
    expect(message('return obj.metadata.name:upper() .. obj.metadata.name:len() .. #obj.metadata.name')).toBe(
      'DB-CREDS88',
    );
    expect(
      message(
        'local t = {} for w in obj.metadata.name:gmatch("%a+") do t[#t + 1] = w end return table.concat(t, ",")',
      ),
    ).toBe('db,creds');
    expect(message('return string.sub(obj.status.currentState, -6)')).toBe('pool 1');
  });

  it('functions a script adds to string are methods too, as in gopher-lua', () => {
    expect(
      message(
        'function string.startswith(s, p) return s:sub(1, #p) == p end\nreturn obj.metadata.name:startswith("db")',
      ),
    ).toBe('true');
    expect(message('return getmetatable("").__index == string')).toBe('true');
  });

  it('nothing a script does to strings reaches the next run', () => {
    message('string.upper = function() return "pwned" end; getmetatable("").__index.lower = nil');
    message('local mt = getmetatable("") mt.__index = {upper = function() return "pwned" end}');
    expect(message('return ("ok"):upper() .. ("OK"):lower()')).toBe('OKok');
  });
});

describe('without the open libraries (argocd-cm without useOpenLibs)', () => {
  it('strings have no methods and there is no string table, as in Argo CD', () => {
    expect(() => message('return ("abc"):sub(1, 2)', { openLibs: false })).toThrow(/index a string value/);
    expect(message('return type(string)', { openLibs: false })).toBe('nil');
    // and the next run with the libraries has its methods back
    expect(message('return ("abc"):sub(2)')).toBe('bc');
  });
});

describe('the sandbox', () => {
  it('reaches no io, no os.execute and no files through require or load', () => {
    expect(
      message(
        'return table.concat({type(io), type(os.execute), type(os.getenv), type(os.remove), type(os.exit), type(package.loadlib), type(dofile), type(loadfile), type(debug)}, " ")',
      ),
    ).toBe('nil nil nil nil nil nil nil nil nil');
    for (const mod of ['io', 'debug', 'ffi', './evil', '/etc/passwd'])
      expect(() => message(`return require("${mod}")`)).toThrow(/not found/);
    expect(message('return require("os") == os and require("string") == string')).toBe('true');
  });

  it('loads text chunks in the sandbox, never bytecode', () => {
    expect(message('return load("return 1 + 1")()')).toBe('2');
    expect(message('return loadstring("return type(io)")()')).toBe('nil');
    expect(message('return type(string.dump)')).toBe('nil');
    expect(message('local f, err = load("\\27Lua\\84\\0") return err')).toMatch(/binary chunk/);
    expect(() => message('return load(function() return nil end)')).toThrow(/only text chunks/);
  });
});
