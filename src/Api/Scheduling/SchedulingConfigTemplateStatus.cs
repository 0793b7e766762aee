namespace TensorFusion.Api.Scheduling;

/// <summary>SchedulingConfigTemplate has no observed state; kept for the status subresource upstream has.</summary>
public sealed class SchedulingConfigTemplateStatus;
