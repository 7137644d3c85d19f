using System.Text;
using System.Text.Json;

namespace HotelAgent.Functions.Hosting.CustomHandler;

/// <summary>
/// Reads the Functions host's custom-handler invocation JSON (<c>{"Data": {...}, "Metadata": {...}}</c>),
/// tolerating the host's quirks: values that are JSON text JSON-encoded once more, <c>"null"</c> for nulls,
/// query as an object or the string <c>"{}"</c>, headers as arrays or single strings, a body that is absent when empty.
/// </summary>
public sealed class InvocationPayload
{
    private readonly JsonElement _data;
    private readonly JsonElement _metadata;

    private InvocationPayload(JsonElement data, JsonElement metadata)
    {
        _data = data;
        _metadata = metadata;
    }

    /// <exception cref="InvalidInvocationException">The body is not an invocation object.</exception>
    public static InvocationPayload Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new InvalidInvocationException("The invocation body is not JSON.", ex);
        }

        var root = doc.RootElement.Clone();
        doc.Dispose();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationException("The invocation body is not a JSON object.");
        }

        return new InvocationPayload(Property(root, "Data") ?? EmptyObject, Property(root, "Metadata") ?? EmptyObject);
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>A Data entry with one level of string encoding removed (objects stay objects).</summary>
    public JsonElement? Data(string name) => Property(_data, name) is { } value ? Unwrap(value) : null;

    /// <summary>A Data entry as raw text: a double-encoded string yields its inner JSON text; <c>"null"</c> yields null.</summary>
    public string? DataText(string name)
    {
        if (Property(_data, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var inner = value.GetString();
            return inner is null or "null" ? null : inner;
        }

        return value.ValueKind == JsonValueKind.Null ? null : value.GetRawText();
    }

    public string? MetadataString(string name)
    {
        if (Property(_metadata, name) is not { } value)
        {
            return null;
        }

        var unwrapped = Unwrap(value);
        return unwrapped.ValueKind switch
        {
            JsonValueKind.String => unwrapped.GetString(),
            JsonValueKind.Null => null,
            _ => unwrapped.GetRawText(),
        };
    }

    public int MetadataInt(string name, int fallback) =>
        int.TryParse(MetadataString(name), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : fallback;

    /// <summary>Maps the <c>req</c> object of an HTTP trigger to a <see cref="FunctionHttpRequest"/>.</summary>
    public FunctionHttpRequest ReadHttpRequest(string bindingName = "req")
    {
        var req = Data(bindingName) ?? throw new InvalidInvocationException($"The invocation has no '{bindingName}' HTTP request.");
        if (req.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationException($"'{bindingName}' is not an HTTP request object.");
        }

        var headers = ReadHeaders(Property(req, "Headers"));
        var method = StringOf(Property(req, "Method")) ?? "GET";
        var url = StringOf(Property(req, "Url")) ?? "http://localhost/";
        return new FunctionHttpRequest
        {
            Method = method.ToUpperInvariant(),
            Url = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : new Uri("http://localhost/"),
            Query = ReadStringMap(Property(req, "Query")),
            Headers = headers,
            RouteParams = ReadStringMap(Property(req, "Params")),
            Body = ReadBody(Property(req, "Body"), headers),
        };
    }

    private static ReadOnlyMemory<byte> ReadBody(JsonElement? body, IReadOnlyDictionary<string, string[]> headers)
    {
        if (body is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            // Defensive: some host versions hand JSON bodies over as objects. Signatures cannot be checked
            // against re-serialized JSON, so such a webhook fails verification (401) rather than passing unverified.
            return Encoding.UTF8.GetBytes(value.GetRawText());
        }

        var text = value.GetString() ?? string.Empty;
        var contentType = headers.TryGetValue("Content-Type", out var ct) && ct.Length > 0 ? ct[0] : string.Empty;
        if (contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                return Encoding.UTF8.GetBytes(text);
            }
        }

        // The host read the body as UTF-8 text; re-encoding valid UTF-8 gives back the exact bytes the sender signed.
        return Encoding.UTF8.GetBytes(text);
    }

    private static Dictionary<string, string[]> ReadHeaders(JsonElement? element)
    {
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        if (element is not { } value)
        {
            return headers;
        }

        value = Unwrap(value);
        if (value.ValueKind != JsonValueKind.Object)
        {
            return headers;
        }

        foreach (var property in value.EnumerateObject())
        {
            headers[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Array => property.Value.EnumerateArray().Select(v => StringOf(v) ?? string.Empty).ToArray(),
                JsonValueKind.Null => [],
                _ => [StringOf(property.Value) ?? string.Empty],
            };
        }

        return headers;
    }

    private static Dictionary<string, string> ReadStringMap(JsonElement? element)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (element is not { } value)
        {
            return map;
        }

        value = Unwrap(value);
        if (value.ValueKind != JsonValueKind.Object)
        {
            return map;
        }

        foreach (var property in value.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.Array
                ? string.Join(',', property.Value.EnumerateArray().Select(v => StringOf(v)))
                : StringOf(property.Value) ?? string.Empty;
        }

        return map;
    }

    private static string? StringOf(JsonElement? element) => element switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Null } => null,
        { } e => e.GetRawText(),
    };

    /// <summary>Removes one level of JSON string encoding when the string's content is a JSON object or array.</summary>
    public static JsonElement Unwrap(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return value;
        }

        var text = value.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return value;
        }

        var first = text.AsSpan().TrimStart();
        if (first.Length > 0 && (first[0] == '{' || first[0] == '[' || first[0] == '"') || text == "null")
        {
            try
            {
                using var inner = JsonDocument.Parse(text);
                return inner.RootElement.Clone();
            }
            catch (JsonException)
            {
                return value;
            }
        }

        return value;
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (element.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}

/// <summary>The host sent something that is not a valid invocation (answered 400).</summary>
public sealed class InvalidInvocationException : Exception
{
    public InvalidInvocationException(string message)
        : base(message)
    {
    }

    public InvalidInvocationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public InvalidInvocationException()
    {
    }
}
