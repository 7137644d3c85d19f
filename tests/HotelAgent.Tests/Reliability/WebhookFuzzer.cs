using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HotelAgent.Tests.Channels.WhatsApp;

namespace HotelAgent.Tests.Reliability;

/// <summary>Seeded generator of random and mutated WhatsApp Cloud API webhook bodies (raw bytes, possibly invalid UTF-8).</summary>
internal sealed class WebhookFuzzer(int seed)
{
    private static readonly string[] Fixtures =
    [
        "audio_voice.json", "contacts.json", "document.json", "image.json", "interactive_button_reply.json",
        "interactive_list_reply.json", "location.json", "mixed_with_unknown.json", "not_whatsapp.json", "reaction.json",
        "status_failed.json", "statuses_only.json", "sticker.json", "template_button.json", "text.json", "unsupported.json", "video.json",
    ];

    private static readonly Lazy<string[]> Texts = new(() => [.. Fixtures.Select(Payloads.Read)]);

    private readonly Random _random = new(seed);

    public byte[] Next()
    {
        var kind = _random.Next(10);
        return kind switch
        {
            0 => RandomBytes(),
            1 => Encoding.UTF8.GetBytes(RandomJson(0)?.ToJsonString() ?? "null"),
            2 => ByteMutation(Encoding.UTF8.GetBytes(Pick())),
            3 => DeepNesting(),
            _ => Encoding.UTF8.GetBytes(StructuralMutation()),
        };
    }

    private string Pick() => Texts.Value[_random.Next(Texts.Value.Length)];

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(0, 300)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] ByteMutation(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        var edits = 1 + _random.Next(6);
        for (var i = 0; i < edits && copy.Length > 0; i++)
        {
            var at = _random.Next(copy.Length);
            switch (_random.Next(4))
            {
                case 0:
                    copy[at] = (byte)_random.Next(256);
                    break;
                case 1:
                    copy[at] = 0xC3; // lone lead byte: invalid UTF-8
                    break;
                case 2:
                    copy = copy[..at];
                    break;
                default:
                    copy = [.. copy[..at], 0xFF, 0xFE, .. copy[at..]];
                    break;
            }
        }

        return copy;
    }

    private byte[] DeepNesting()
    {
        var depth = 50 + _random.Next(5000);
        var open = _random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var inner = "{\"object\":\"whatsapp_business_account\",\"entry\":" + string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)) + "}";
        return Encoding.UTF8.GetBytes(inner);
    }

    private string StructuralMutation()
    {
        var root = JsonNode.Parse(Pick())!;
        var edits = 1 + _random.Next(4);
        for (var i = 0; i < edits; i++)
        {
            var nodes = new List<JsonNode>();
            Collect(root, nodes);
            var target = nodes[_random.Next(nodes.Count)];
            Mutate(root, target);
        }

        return root.ToJsonString();
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null)
        {
            return;
        }

        into.Add(node);
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o.ToArray())
                {
                    Collect(child, into);
                }

                break;
            case JsonArray a:
                foreach (var child in a.ToArray())
                {
                    Collect(child, into);
                }

                break;
        }
    }

    private void Mutate(JsonNode root, JsonNode target)
    {
        var parent = target.Parent;
        switch (_random.Next(8))
        {
            case 0 when parent is JsonObject po:
                po.Remove(target.GetPropertyName());
                break;
            case 1 when parent is JsonObject po:
                po[target.GetPropertyName() + "_dup"] = target.DeepClone();
                break;
            case 1 when parent is JsonArray pa:
                pa.Add(target.DeepClone());
                pa.Add(target.DeepClone());
                break;
            case 2:
                Replace(target, RandomScalar());
                break;
            case 3:
                Replace(target, new string((char)('a' + _random.Next(26)), 100_000 + _random.Next(400_000)));
                break;
            case 4:
                Replace(target, new JsonArray());
                break;
            case 5:
                Replace(target, new JsonObject());
                break;
            case 6:
                Replace(target, RandomJson(0));
                break;
            default:
                if (target is JsonObject o && o.Count > 0)
                {
                    var key = o.ElementAt(_random.Next(o.Count)).Key;
                    o[key] = RandomScalar();
                }
                else if (root is JsonObject r)
                {
                    r["object"] = RandomScalar();
                }

                break;
        }
    }

    private static void Replace(JsonNode target, JsonNode? replacement)
    {
        switch (target.Parent)
        {
            case JsonObject po:
                po[target.GetPropertyName()] = replacement;
                break;
            case JsonArray pa:
                pa[target.GetElementIndex()] = replacement;
                break;
        }
    }

    private JsonNode? RandomScalar() => _random.Next(7) switch
    {
        0 => null,
        1 => JsonValue.Create(_random.Next(2) == 0),
        2 => JsonValue.Create(_random.NextInt64(long.MinValue, long.MaxValue)),
        3 => JsonValue.Create(_random.NextDouble() * 1e300),
        4 => JsonValue.Create(string.Empty),
        5 => JsonValue.Create("\uD800\u0000\u202E" + _random.Next().ToString(CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(RandomString()),
    };

    private string RandomString()
    {
        var chars = new char[_random.Next(0, 40)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)_random.Next(0x20, 0x2FFF);
        }

        return new string(chars);
    }

    private JsonNode? RandomJson(int depth)
    {
        if (depth > 4 || _random.Next(3) == 0)
        {
            return RandomScalar();
        }

        if (_random.Next(2) == 0)
        {
            var array = new JsonArray();
            for (var i = _random.Next(4); i > 0; i--)
            {
                array.Add(RandomJson(depth + 1));
            }

            return array;
        }

        var obj = new JsonObject();
        string[] keys = ["object", "entry", "changes", "value", "messages", "statuses", "contacts", "from", "id", "timestamp", "type", "text", "body", "field", "metadata"];
        for (var i = _random.Next(5); i > 0; i--)
        {
            obj[keys[_random.Next(keys.Length)]] = RandomJson(depth + 1);
        }

        return obj;
    }
}
