namespace TensorFusion.LocalCluster.Protobuf;

/// <summary>One field of a message: its JSON name, how to read it, and (for messages) the nested shape.</summary>
public sealed record ProtoField(string JsonName, ProtoKind Kind, bool Repeated = false, ProtoMessage? Message = null);
