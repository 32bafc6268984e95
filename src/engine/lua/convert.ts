/**
 * Moving values between JavaScript and a Lua state: JSON-like values become Lua tables (arrays 1-based,
 * integers as Lua integers so `tostring(3)` is "3" as in Argo CD), and Lua tables come back as arrays when
 * their keys are 1..n, else as objects. An empty table comes back as an empty array, as Argo CD's decoder does.
 * Calls go straight to the module's exports, and strings are copied through one scratch buffer: the generic
 * wrappers cost more than the work on objects with hundreds of fields.
 */
import type { LuaWasm } from 'wasmoon';

const T_NIL = 0;
const T_BOOLEAN = 1;
const T_NUMBER = 3;
const T_STRING = 4;
const T_TABLE = 5;

/** The deepest nesting converted either way; deeper values (or cycles) become nil. */
const MAX_DEPTH = 64;

type Exports = {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(n: number): number;
  _free(p: number): void;
  _lua_pushnil(L: number): void;
  _lua_pushinteger(L: number, n: bigint): void;
  _lua_pushnumber(L: number, n: number): void;
  _lua_pushboolean(L: number, b: number): void;
  _lua_pushlstring(L: number, p: number, n: number): number;
  _lua_createtable(L: number, a: number, r: number): void;
  _lua_rawseti(L: number, idx: number, n: bigint): void;
  _lua_rawset(L: number, idx: number): void;
  _lua_type(L: number, idx: number): number;
  _lua_toboolean(L: number, idx: number): number;
  _lua_isinteger(L: number, idx: number): number;
  _lua_tointegerx(L: number, idx: number, p: number): bigint;
  _lua_tonumberx(L: number, idx: number, p: number): number;
  _lua_tolstring(L: number, idx: number, p: number): number;
  _lua_absindex(L: number, idx: number): number;
  _lua_next(L: number, idx: number): number;
  _lua_settop(L: number, idx: number): void;
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Pushes and reads values on one Lua module's states. */
export class LuaBridge {
  private readonly m: Exports;
  private buf = 0;
  private cap = 0;
  private readonly lenPtr: number;

  constructor(lua: LuaWasm) {
    this.m = lua.module as unknown as Exports;
    this.lenPtr = this.m._malloc(8);
  }

  /** Pushes a string (any length, any content). */
  pushString(L: number, s: string): void {
    const need = s.length * 3 + 1;
    if (need > this.cap) {
      if (this.buf) this.m._free(this.buf);
      this.cap = Math.max(need, 4096);
      this.buf = this.m._malloc(this.cap);
    }
    const { written } = encoder.encodeInto(s, this.m.HEAPU8.subarray(this.buf, this.buf + this.cap));
    this.m._lua_pushlstring(L, this.buf, written);
  }

  /** Pushes a JSON-like value onto the Lua stack (one slot). */
  push(L: number, value: unknown, depth = 0): void {
    const m = this.m;
    if (value === null || value === undefined || depth > MAX_DEPTH) {
      m._lua_pushnil(L);
    } else if (typeof value === 'string') {
      this.pushString(L, value);
    } else if (typeof value === 'number') {
      if (Number.isSafeInteger(value)) m._lua_pushinteger(L, BigInt(value));
      else m._lua_pushnumber(L, value);
    } else if (typeof value === 'boolean') {
      m._lua_pushboolean(L, value ? 1 : 0);
    } else if (Array.isArray(value)) {
      m._lua_createtable(L, value.length, 0);
      for (let i = 0; i < value.length; i++) {
        this.push(L, value[i], depth + 1);
        m._lua_rawseti(L, -2, BigInt(i + 1));
      }
    } else if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      m._lua_createtable(L, 0, entries.length);
      for (const [k, v] of entries) {
        if (v === undefined) continue;
        this.pushString(L, k);
        this.push(L, v, depth + 1);
        m._lua_rawset(L, -3);
      }
    } else {
      m._lua_pushnil(L);
    }
  }

  /** Reads the string at `idx` (which must be a string: numbers would be converted in place). */
  readString(L: number, idx: number): string {
    const p = this.m._lua_tolstring(L, idx, this.lenPtr);
    const len = this.m.HEAPU32[this.lenPtr >> 2] ?? 0;
    return decoder.decode(this.m.HEAPU8.subarray(p, p + len));
  }

  /** Reads the Lua value at `idx` as a JSON-like value; functions and other Lua types become undefined. */
  read(L: number, idx: number, depth = 0): unknown {
    const m = this.m;
    const at = m._lua_absindex(L, idx);
    switch (m._lua_type(L, at)) {
      case T_NIL:
        return undefined;
      case T_BOOLEAN:
        return m._lua_toboolean(L, at) !== 0;
      case T_NUMBER:
        return m._lua_isinteger(L, at) ? Number(m._lua_tointegerx(L, at, 0)) : m._lua_tonumberx(L, at, 0);
      case T_STRING:
        return this.readString(L, at);
      case T_TABLE:
        return depth > MAX_DEPTH ? undefined : this.readTable(L, at, depth);
      default:
        return undefined;
    }
  }

  private readTable(L: number, at: number, depth: number): unknown {
    const m = this.m;
    const entries: [string | number, unknown][] = [];
    let allIndexes = true;
    m._lua_pushnil(L);
    while (m._lua_next(L, at) !== 0) {
      const keyType = m._lua_type(L, -2);
      let key: string | number | undefined;
      if (keyType === T_STRING) {
        key = this.readString(L, -2);
        allIndexes = false;
      } else if (keyType === T_NUMBER) {
        const n = m._lua_tonumberx(L, -2, 0);
        key = n;
        if (!Number.isInteger(n) || n < 1) allIndexes = false;
      }
      const value = this.read(L, -1, depth + 1);
      m._lua_settop(L, -2);
      if (key !== undefined && value !== undefined) entries.push([key, value]);
    }
    if (allIndexes) {
      const max = entries.reduce((mx, [k]) => Math.max(mx, k as number), 0);
      if (max === entries.length) {
        const arr: unknown[] = new Array(max);
        for (const [k, v] of entries) arr[(k as number) - 1] = v;
        return arr;
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) out[String(k)] = v;
    return out;
  }
}
