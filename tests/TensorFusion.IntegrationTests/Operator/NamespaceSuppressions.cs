using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace", Target = "~N:TensorFusion.IntegrationTests.Operator", Justification = "Named after the `tensorfusion operator` verb.")]
