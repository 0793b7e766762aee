using Microsoft.Extensions.Logging;

namespace TensorFusion.Pipelines.Admission;

/// <summary>Log messages of the webhook server, its certificate renewal and caBundle publishing.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook certificate renewed; serving certificate valid until {NotAfter:o}")]
    public static partial void Renewed(ILogger logger, DateTimeOffset notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the webhook caBundle failed (attempt {Attempt}); retrying")]
    public static partial void PublishFailed(ILogger logger, int attempt, Exception exception);
}
