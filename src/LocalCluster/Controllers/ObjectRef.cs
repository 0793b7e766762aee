namespace TensorFusion.LocalCluster.Controllers;

/// <summary>Where a stored object lives: resource storage id, namespace, name.</summary>
public sealed record ObjectRef(string StorageId, string Namespace, string Name);
