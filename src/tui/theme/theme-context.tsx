import { createContext, type ReactNode, useContext } from 'react';
import { builtinTheme } from './defaults.js';
import type { Theme } from './types.js';

const ThemeContext = createContext<Theme>(builtinTheme);

/** Provides the active theme to every component below. */
export function ThemeProvider({ theme, children }: { theme: Theme; children: ReactNode }) {
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

/** The active theme (the built-in default outside a provider, so components render in isolation). */
export function useTheme(): Theme {
  return useContext(ThemeContext);
}
