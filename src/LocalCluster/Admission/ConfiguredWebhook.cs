using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Admission;

/// <summary>One webhook entry of a stored webhook configuration.</summary>
internal sealed record ConfiguredWebhook(string Configuration, JsonObject Hook);
