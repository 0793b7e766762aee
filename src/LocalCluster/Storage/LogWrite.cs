namespace TensorFusion.LocalCluster.Storage;

/// <summary>One row change for the durable log; a null <see cref="Json"/> deletes the row.</summary>
public sealed record LogWrite(string StorageId, string Namespace, string Name, long ResourceVersion, byte[]? Json);
