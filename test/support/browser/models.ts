/** URLs of the test models, served by Vite's dev server. */
import addUrl from '../../fixtures/models/add.onnx?url';
import allocUrl from '../../fixtures/models/alloc.onnx?url';
import heavyUrl from '../../fixtures/models/heavy.onnx?url';
import imageProbeManifestUrl from '../../fixtures/models/image-probe.manifest.json?url';
import int64BoolUrl from '../../fixtures/models/int64-bool.onnx?url';
import mlpManifestUrl from '../../fixtures/models/mlp.manifest.json?url';
import mlpUrl from '../../fixtures/models/mlp.onnx?url';
import mlpExternalManifestUrl from '../../fixtures/models/mlp-external.manifest.json?url';
import mlpTabularManifestUrl from '../../fixtures/models/mlp-tabular.manifest.json?url';
import mlpVariantsManifestUrl from '../../fixtures/models/mlp-variants.manifest.json?url';
import rowMixingUrl from '../../fixtures/models/row-mixing.onnx?url';
import textProbeManifestUrl from '../../fixtures/models/text-probe.manifest.json?url';

export const models = {
  add: addUrl,
  mlp: mlpUrl,
  int64Bool: int64BoolUrl,
  heavy: heavyUrl,
  /** sum = ReduceSum(ConstantOfShape(n)): allocates n floats when run. */
  alloc: allocUrl,
  /** y = Softmax(x) over the batch axis: shapes that look batchable, rows that are not independent. */
  rowMixing: rowMixingUrl,
  /** webinfer/manifest@1 for mlp.onnx, written by scripts/make-fixtures.mjs. */
  mlpManifest: mlpManifestUrl,
  /** The same MLP with its weights in an ONNX external-data file, and a manifest naming both. */
  mlpExternalManifest: mlpExternalManifestUrl,
  /** mlp.onnx (the float32 default) with mlp-fp16.onnx as its "fp16" variant. */
  mlpVariantsManifest: mlpVariantsManifestUrl,
  /** Sentences tokenized (../text/tokenizer.json) into input_ids, attention_mask, token_type_ids, returned as fed. */
  textProbeManifest: textProbeManifestUrl,
  /** An image read into [1,3,224,224] (ImageNet-normalized), returned as it was fed, and the dominant channel. */
  imageProbeManifest: imageProbeManifestUrl,
  /** mlp.onnx with transforms: a tabular row (age, hours, color) in, the top-2 of 3 labels out. */
  mlpTabularManifest: mlpTabularManifestUrl,
  /** Silero VAD v5, a real model shipped by the @ricky0123/vad-web devDependency. */
  vad: '/node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx',
  /** Silero VAD v4 ("legacy"), from the same package: separate h and c LSTM states. */
  vadLegacy: '/node_modules/@ricky0123/vad-web/dist/silero_vad_legacy.onnx',
} as const;
