import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** Colour functions that are identity when colour is off (`--no-color`, `NO_COLOR`, not a TTY). */
export function colorsFor(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
