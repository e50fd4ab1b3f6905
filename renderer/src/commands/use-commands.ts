// The one place keys are bound. Each screen that has commands provides its
// part of the context while it is open (the reading room, the image viewer);
// a key press runs the command the table gives for that key now. Keys typed
// into a field stay in the field.
import { useEffect, useLayoutEffect } from 'react';
import { create } from 'zustand';
import { isTyping, keyName } from '../keys';
import { commandFor } from './command';
import { type AppCommandContext, COMMANDS, type ReadingCommands, type ViewerCommands } from './command-table';

interface CommandContextState {
  reading: ReadingCommands | null;
  viewer: ViewerCommands | null;
  helpOpen: boolean;
  toggleHelp(): void;
}

export const useCommandContext = create<CommandContextState>()((set) => ({
  reading: null,
  viewer: null,
  helpOpen: false,
  toggleHelp: () => set((state) => ({ helpOpen: !state.helpOpen })),
}));

function currentContext(): AppCommandContext {
  const { reading, viewer, helpOpen, toggleHelp } = useCommandContext.getState();
  return { app: { helpOpen, toggleHelp }, reading, viewer };
}

/** Binds every key of the command table, once, for the life of the app. */
export function useKeyBindings(): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const context = currentContext();
      const command = commandFor(COMMANDS, keyName(event), context);
      if (!command) return;
      event.preventDefault();
      command.run(context);
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

/**
 * A screen's commands, provided while it is mounted (null while it has nothing to act on yet).
 * Provided as the screen is committed, not after the browser paints it: a key pressed the moment an
 * image shows (under load, the first image and the commands can arrive in one render) must find them.
 */
export function useProvideCommands(part: 'reading' | 'viewer', commands: ReadingCommands | ViewerCommands | null): void {
  useLayoutEffect(() => {
    useCommandContext.setState({ [part]: commands });
    return () => useCommandContext.setState({ [part]: null });
  }, [part, commands]);
}
