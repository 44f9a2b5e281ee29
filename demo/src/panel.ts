import type { Model } from 'webinfer';

/** A playground panel: the input widgets and result view for one kind of model. */
export interface Panel {
  /**
   * Runs the model (`key` on the playground) once on the panel's current input and shows the
   * result; resolves to a short line about the run. Throws what the run throws.
   */
  run(key: string, model: Model): Promise<string>;
  /** The model shown changed, or its state did (undefined: not loaded). */
  show?(model: Model | undefined): void;
}
