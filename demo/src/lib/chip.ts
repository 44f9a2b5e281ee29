import { byId } from './dom.js';

export type ChipState = 'good' | 'warn' | 'bad' | 'unknown';

/** Sets one of the top bar's status chips: its colour, its words, and the longer story on hover. */
export function setChip(id: string, state: ChipState, text: string, title = text): void {
  const chip = byId(id);
  chip.dataset.state = state;
  chip.textContent = text;
  chip.title = title;
}
