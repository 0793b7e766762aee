using System.CommandLine;
using TensorFusion.Api.Schema;

namespace TensorFusion.Host.Cli;

/// <summary>
/// <c>tensorfusion crds [--output DIR]</c>: the CustomResourceDefinitions of tensor-fusion.ai/v1, generated from the
/// C# API types. With --output, one file per kind plus kustomization.yaml; without, one YAML stream on stdout.
/// </summary>
public static class CrdsCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo?>("--output", "-o")
        {
            Description = "Directory to write <plural>.tensor-fusion.ai.yaml files and kustomization.yaml into (e.g. deploy/crds). Default: print all CRDs to stdout.",
        };
        var command = new Command("crds", "Generate the tensor-fusion.ai/v1 CustomResourceDefinitions from the API types.") { output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            var directory = parseResult.GetValue(output);
            if (directory is null)
            {
                await writer.WriteAsync(CrdGenerator.RenderStream());
                return 0;
            }

            var written = await CrdGenerator.WriteDirectoryAsync(directory.FullName, cancellationToken);
            await writer.WriteLineAsync($"wrote {written.Count} files to {directory.FullName}");
            return 0;
        });
        return command;
    }
}
