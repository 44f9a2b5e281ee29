import { CliError } from './cli-error.js';
import { onnx, type proto } from './onnx.js';

const { EXTERNAL } = onnx.TensorProto.DataLocation;

/**
 * Every file the model keeps tensor data in (ONNX external data, the way models past
 * protobuf's 2 GB limit store their weights): the `location` of each tensor whose
 * `data_location` is EXTERNAL, first occurrence first, without repeats. Looks at initializers,
 * sparse initializers and tensor attributes (Constant nodes), in subgraphs (If, Loop, Scan) and
 * in model-local functions too.
 */
export function externalDataLocations(model: proto.IModelProto, file: string): string[] {
  const locations = new Set<string>();

  const visitTensor = (tensor: proto.ITensorProto | null | undefined): void => {
    if (tensor?.dataLocation !== EXTERNAL) return;
    const location = tensor.externalData?.find((entry) => entry.key === 'location')?.value;
    if (!location) throw new CliError(`${file}: tensor "${tensor.name ?? ''}" is stored externally but names no location`);
    locations.add(location);
  };
  const visitSparse = (sparse: proto.ISparseTensorProto | null | undefined): void => {
    visitTensor(sparse?.values);
    visitTensor(sparse?.indices);
  };
  const visitNode = (node: proto.INodeProto): void => {
    for (const attribute of node.attribute ?? []) {
      visitTensor(attribute.t);
      attribute.tensors?.forEach(visitTensor);
      visitSparse(attribute.sparseTensor);
      attribute.sparseTensors?.forEach(visitSparse);
      if (attribute.g) visitGraph(attribute.g);
      attribute.graphs?.forEach(visitGraph);
    }
  };
  const visitGraph = (graph: proto.IGraphProto): void => {
    graph.initializer?.forEach(visitTensor);
    graph.sparseInitializer?.forEach(visitSparse);
    graph.node?.forEach(visitNode);
  };

  if (model.graph) visitGraph(model.graph);
  for (const fn of model.functions ?? []) fn.node?.forEach(visitNode);
  return [...locations];
}
