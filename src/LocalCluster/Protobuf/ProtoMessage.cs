namespace TensorFusion.LocalCluster.Protobuf;

/// <summary>The fields of one protobuf message type by field number, as in k8s.io/api's generated.proto.</summary>
public sealed class ProtoMessage(string name, IReadOnlyDictionary<int, ProtoField> fields)
{
    public string Name { get; } = name;

    public IReadOnlyDictionary<int, ProtoField> Fields { get; } = fields;
}
