using System.Text.Json;

namespace TensorFusion.Api.Serialization;

/// <summary>
/// Thrown by the API's converters for a value of the right JSON type but the wrong content (an unknown enum value,
/// a malformed quantity). The serializer adds the field path; the message is shown to the user as is.
/// </summary>
public sealed class FieldValueException : JsonException
{
    public FieldValueException()
    {
    }

    public FieldValueException(string message)
        : base(message)
    {
    }

    public FieldValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
