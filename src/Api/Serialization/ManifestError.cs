using System.Text;

namespace TensorFusion.Api.Serialization;

/// <summary>
/// One problem in a manifest: which document (1-based), which line when known, which field, and what is wrong.
/// <see cref="ToString"/> gives the one-line form the CLI prints.
/// </summary>
public sealed record ManifestError(string Source, int DocumentIndex, int? Line, string FieldPath, string Message)
{
    public override string ToString()
    {
        var text = new StringBuilder(Source).Append(": document ").Append(DocumentIndex);
        if (Line is { } line)
        {
            text.Append(", line ").Append(line);
        }

        text.Append(": ");
        if (FieldPath.Length > 0)
        {
            text.Append(FieldPath).Append(": ");
        }

        return text.Append(Message).ToString();
    }
}
