using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using HotelAgent.Tests.Channels.WhatsApp;

namespace HotelAgent.Tests.Reliability;

/// <summary>One generated webhook body: raw bytes (possibly invalid UTF-8) and how it was made, for failure reports.</summary>
internal sealed record WebhookBody(string Kind, byte[] Bytes)
{
    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Bytes);
        return $"{Kind} ({Bytes.Length} bytes): {text[..Math.Min(text.Length, 300)]}";
    }
}

/// <summary>One guest text message of a valid delivery.</summary>
internal sealed record GuestText(string From, string Wamid, string Text);

/// <summary>
/// FsCheck generators of WhatsApp Cloud API webhook bodies: random bytes, random JSON, byte- and structure-level
/// mutations of the recorded sample payloads, deep nesting, and valid multi-message deliveries. A failing body shrinks
/// structurally (properties and array items removed, long strings cut) and then byte-wise.
/// </summary>
internal static class WebhookBodies
{
    private static readonly string[] Samples =
    [
        "audio_voice.json", "contacts.json", "document.json", "image.json", "interactive_button_reply.json",
        "interactive_list_reply.json", "location.json", "mixed_with_unknown.json", "not_whatsapp.json", "reaction.json",
        "status_failed.json", "statuses_only.json", "sticker.json", "template_button.json", "text.json", "unsupported.json", "video.json",
    ];

    private static readonly Lazy<string[]> SampleTexts = new(() => [.. Samples.Select(Payloads.Read)]);

    private static readonly string[] Keys =
        ["object", "entry", "changes", "value", "messages", "statuses", "contacts", "from", "id", "timestamp", "type", "text", "body", "field", "metadata"];

    private static Gen<string> Sample => Gen.Choose(0, Samples.Length - 1).Select(i => SampleTexts.Value[i]);

    /// <summary>Any body at all: what the parser and the host must survive (parsed or rejected, never crashed).</summary>
    public static Arbitrary<WebhookBody> Fuzzed() => Arb.From(FuzzedGen, Shrink);

    public static Gen<WebhookBody> FuzzedGen => Gen.Frequency(
        (1, RandomBytes),
        (1, RandomJson(0).Select(node => Body("random JSON", node?.ToJsonString() ?? "null"))),
        (1, ByteMutation),
        (1, DeepNesting),
        (6, StructuralMutation));

    /// <summary>Correct deliveries of one to five text messages with texts guests really send (accents, emoji, slang, quotes).</summary>
    public static Arbitrary<GuestText[]> ValidTexts() => Arb.From(
        Gen.Choose(1, 5).SelectMany(count => Gen.ArrayOf(GuestTextGen, count))
            .Select(texts => texts.Select((t, i) => t with { Wamid = t.Wamid + "." + i.ToString(CultureInfo.InvariantCulture) }).ToArray()),
        texts => texts.Length > 1 ? [texts[..^1], texts[1..]] : []);

    /// <summary>The Cloud API envelope around <paramref name="texts"/> (one entry, one change, all messages together).</summary>
    public static string Delivery(IEnumerable<GuestText> texts)
    {
        var list = texts.ToList();
        var messages = new JsonArray([.. list.Select(t => (JsonNode)new JsonObject
        {
            ["from"] = t.From,
            ["id"] = t.Wamid,
            ["timestamp"] = "1763740800",
            ["type"] = "text",
            ["text"] = new JsonObject { ["body"] = t.Text },
        })]);
        var contacts = new JsonArray([.. list.Select(t => t.From).Distinct().Select(from => (JsonNode)new JsonObject
        {
            ["profile"] = new JsonObject { ["name"] = "Huésped" },
            ["wa_id"] = from,
        })]);
        return new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = "102290129340398",
                ["changes"] = new JsonArray(new JsonObject
                {
                    ["field"] = "messages",
                    ["value"] = new JsonObject
                    {
                        ["messaging_product"] = "whatsapp",
                        ["metadata"] = new JsonObject { ["display_phone_number"] = "5491140001234", ["phone_number_id"] = "106540352242922" },
                        ["contacts"] = contacts,
                        ["messages"] = messages,
                    },
                }),
            }),
        }.ToJsonString();
    }

    private static Gen<GuestText> GuestTextGen =>
        from number in Gen.Choose(10_000_000, 99_999_999)
        from id in Gen.Choose(0, int.MaxValue)
        from text in GuestMessageText
        select new GuestText("54911" + number.ToString(CultureInfo.InvariantCulture), "wamid.FUZZ" + id.ToString("X8", CultureInfo.InvariantCulture), text);

    private static Gen<string> GuestMessageText
    {
        get
        {
            string[] pieces =
            [
                "hola", "che", "¿tenés lugar", "para el finde?", "q onda", "quiero reservar", "2 noches", "ñandú", "ÁÉÍÓÚ",
                "😀", "👍🏽", "🏨", "\"comillas\"", "back\\slash", "<b>html</b>", "\t", "  ", "\n", "\u200B", "\u202E", "مرحبا", "1.500 $",
            ];
            return Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(Gen.Elements(pieces), n))
                .Select(parts => "msg " + string.Join(' ', parts));
        }
    }

    private static WebhookBody Body(string kind, string json) => new(kind, Encoding.UTF8.GetBytes(json));

    private static Gen<WebhookBody> RandomBytes =>
        Gen.Choose(0, 300).SelectMany(length => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length))
            .Select(bytes => new WebhookBody("random bytes", bytes));

    private static Gen<WebhookBody> ByteMutation =>
        from sample in Sample
        from edits in Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 255), (at, value) => (At: at, Value: value)), n))
        select new WebhookBody("byte mutation", Mutate(Encoding.UTF8.GetBytes(sample), edits));

    private static byte[] Mutate(byte[] bytes, (int At, int Value)[] edits)
    {
        var copy = bytes;
        foreach (var (seed, value) in edits.Where(_ => copy.Length > 0))
        {
            var at = seed % copy.Length;
            copy = (value % 4) switch
            {
                0 => [.. copy[..at], (byte)value, .. copy[(at + 1)..]],
                1 => [.. copy[..at], 0xC3, .. copy[(at + 1)..]], // lone lead byte: invalid UTF-8
                2 => copy[..at],
                _ => [.. copy[..at], 0xFF, 0xFE, .. copy[at..]],
            };
        }

        return copy;
    }

    private static Gen<WebhookBody> DeepNesting =>
        from depth in Gen.Choose(50, 5050)
        from array in Gen.Elements(true, false)
        let open = array ? "[" : "{\"a\":"
        let close = array ? "]" : "}"
        select Body("deep nesting", "{\"object\":\"whatsapp_business_account\",\"entry\":" + string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)) + "}");

    /// <summary>One edit of a sample's JSON tree: which node (modulo the node count), what to do, with what.</summary>
    private sealed record Edit(int Target, int Operation, JsonNode? Value, int LongLength);

    private static Gen<WebhookBody> StructuralMutation =>
        from sample in Sample
        from edits in Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(EditGen, n))
        select Body("structural mutation", Apply(sample, edits));

    private static Gen<Edit> EditGen =>
        from target in Gen.Choose(0, int.MaxValue)
        from operation in Gen.Choose(0, 7)
        from value in Gen.Frequency((3, Scalar), (1, RandomJson(0)))
        from longLength in Gen.Choose(100_000, 500_000)
        select new Edit(target, operation, value, longLength);

    private static string Apply(string sample, IEnumerable<Edit> edits)
    {
        var root = JsonNode.Parse(sample)!;
        foreach (var edit in edits)
        {
            var nodes = Nodes(root).ToList();
            var target = nodes[edit.Target % nodes.Count];
            var value = edit.Value?.DeepClone(); // a node has one parent: the generated value may be reused by a shrink
            switch (edit.Operation)
            {
                case 0 when target.Parent is JsonObject parent:
                    parent.Remove(target.GetPropertyName());
                    break;
                case 1 when target.Parent is JsonObject parent:
                    parent[target.GetPropertyName() + "_dup"] = target.DeepClone();
                    break;
                case 1 when target.Parent is JsonArray parent:
                    parent.Add(target.DeepClone());
                    parent.Add(target.DeepClone());
                    break;
                case 2 or 6:
                    Replace(target, value);
                    break;
                case 3:
                    Replace(target, new string((char)('a' + (edit.Target % 26)), edit.LongLength));
                    break;
                case 4:
                    Replace(target, new JsonArray());
                    break;
                case 5:
                    Replace(target, new JsonObject());
                    break;
                default:
                    if (target is JsonObject obj && obj.Count > 0)
                    {
                        obj[obj.ElementAt(edit.Target % obj.Count).Key] = value;
                    }
                    else if (root is JsonObject top)
                    {
                        top["object"] = value;
                    }

                    break;
            }
        }

        return root.ToJsonString();
    }

    private static void Replace(JsonNode target, JsonNode? replacement)
    {
        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = replacement;
                break;
            case JsonArray parent:
                parent[target.GetElementIndex()] = replacement;
                break;
        }
    }

    private static IEnumerable<JsonNode> Nodes(JsonNode? node)
    {
        if (node is null)
        {
            yield break;
        }

        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var descendant in children.ToList().SelectMany(Nodes))
        {
            yield return descendant;
        }
    }

    private static Gen<JsonNode?> Scalar => Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue), (high, low) => (JsonNode?)JsonValue.Create(((long)high << 32) | (uint)low)),
        Gen.Choose(0, int.MaxValue).Select(n => (JsonNode?)JsonValue.Create(n / (double)int.MaxValue * 1e300)),
        Gen.Constant<JsonNode?>(JsonValue.Create(string.Empty)),
        Gen.Choose(0, int.MaxValue).Select(n => (JsonNode?)JsonValue.Create("\uD800\u0000\u202E" + n.ToString(CultureInfo.InvariantCulture))),
        Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Gen.Choose(0x20, 0x2FFF).Select(c => (char)c), n)).Select(chars => (JsonNode?)JsonValue.Create(new string(chars))));

    private static Gen<JsonNode?> RandomJson(int depth) => depth > 4
        ? Scalar
        : Gen.Frequency(
            (2, Scalar),
            (2, Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(RandomJson(depth + 1), n)).Select(items => (JsonNode?)new JsonArray([.. items.Select(item => item?.DeepClone())]))),
            (2, Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Elements(Keys), RandomJson(depth + 1), (key, value) => (key, value)), n))
                .Select(pairs =>
                {
                    var obj = new JsonObject();
                    foreach (var (key, value) in pairs)
                    {
                        obj[key] = value?.DeepClone();
                    }

                    return (JsonNode?)obj;
                })));

    /// <summary>Smaller bodies that may fail the same way: the JSON tree with one property or item removed or a long string cut, then byte halves.</summary>
    private static IEnumerable<WebhookBody> Shrink(WebhookBody body)
    {
        foreach (var smaller in ShrinkJson(body))
        {
            yield return smaller;
        }

        var bytes = body.Bytes;
        if (bytes.Length < 2)
        {
            yield break;
        }

        yield return body with { Bytes = bytes[..(bytes.Length / 2)] };
        yield return body with { Bytes = bytes[(bytes.Length / 2)..] };
        var chunk = Math.Max(1, bytes.Length / 8);
        for (var at = 0; at < bytes.Length; at += chunk)
        {
            yield return body with { Bytes = [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + chunk)..]] };
        }
    }

    private static IEnumerable<WebhookBody> ShrinkJson(WebhookBody body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            yield break;
        }

        var count = Nodes(root).Count();
        for (var i = 1; i < Math.Min(count, 64); i++)
        {
            var copy = root!.DeepClone();
            var target = Nodes(copy).ElementAt(i);
            var changed = target switch
            {
                JsonValue value when value.TryGetValue<string>(out var s) && s.Length > 16 => ReplaceWith(target, s[..16]),
                _ when target.Parent is JsonObject parent => parent.Remove(target.GetPropertyName()),
                _ when target.Parent is JsonArray parent => parent.Remove(target),
                _ => false,
            };
            if (changed)
            {
                yield return Body(body.Kind, copy.ToJsonString());
            }
        }
    }

    private static bool ReplaceWith(JsonNode target, string text)
    {
        Replace(target, JsonValue.Create(text));
        return true;
    }
}
