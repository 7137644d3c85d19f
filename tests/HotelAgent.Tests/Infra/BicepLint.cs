using System.Text;
using System.Text.RegularExpressions;

namespace HotelAgent.Tests.Infra;

/// <summary>
/// A deliberately small, regex-level reader of Bicep files (no Bicep compiler exists here). It knows enough
/// to find declarations, module calls, object keys and the identifiers used in expressions, which is what the
/// offline template checks need. It is not a parser: keep templates conventional (multi-line objects).
/// </summary>
internal sealed partial class BicepFile
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "if", "for", "in", "existing", "targetScope", "resource", "module", "param", "var",
        "output", "import", "using", "type", "func", "metadata", "string", "int", "bool", "object", "array", "any",
    };

    private BicepFile(string path, string text)
    {
        Path = path;
        Text = text;
        Code = Sanitize(text);
        var lines = Code.Split('\n');
        foreach (var line in lines)
        {
            var p = ParamDecl().Match(line);
            if (p.Success)
            {
                var name = p.Groups[1].Value;
                Params[name] = p.Groups[3].Success || p.Groups[2].Value.EndsWith('?');
            }

            var v = VarDecl().Match(line);
            if (v.Success)
            {
                Vars.Add(v.Groups[1].Value);
            }

            var o = OutputDecl().Match(line);
            if (o.Success)
            {
                Outputs.Add(o.Groups[1].Value);
            }

            var r = ResourceDecl().Match(line);
            if (r.Success)
            {
                Resources.Add(r.Groups[1].Value);
            }

            foreach (Match loop in LoopVar().Matches(line))
            {
                LoopVariables.Add(loop.Groups[1].Value);
            }
        }

        // Module declarations: path literal comes from the raw text (the sanitized code blanks strings).
        foreach (Match m in ModuleDecl().Matches(text))
        {
            Modules.Add(new ModuleCall(m.Groups[1].Value, m.Groups[2].Value, ModuleParams(m.Index)));
        }

        foreach (Match r in ResourceTypeDecl().Matches(text))
        {
            ResourceTypes[r.Groups[1].Value] = r.Groups[2].Value;
        }
    }

    public string Path { get; }

    /// <summary>The raw file text.</summary>
    public string Text { get; }

    /// <summary>The text with comments removed and string literals blanked (interpolated expressions kept).</summary>
    public string Code { get; }

    /// <summary>Declared parameters → has a default (or is nullable).</summary>
    public Dictionary<string, bool> Params { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Vars { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Outputs { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Resources { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> ResourceTypes { get; } = new(StringComparer.Ordinal);

    public HashSet<string> LoopVariables { get; } = new(StringComparer.Ordinal);

    public List<ModuleCall> Modules { get; } = [];

    public IEnumerable<string> Symbols
        => Params.Keys.Concat(Vars).Concat(Resources).Concat(Modules.Select(m => m.Symbol)).Concat(LoopVariables);

    public static BicepFile Load(string path) => new(path, File.ReadAllText(path));

    public static BicepFile Parse(string path, string text) => new(path, text);

    /// <summary>Identifiers used in expressions (not declarations, keys, property names, functions or decorators).</summary>
    public List<string> UsedIdentifiers()
    {
        var used = new List<string>();
        foreach (var raw in Code.Split('\n'))
        {
            var line = raw;
            var decl = DeclarationHead().Match(line);
            if (decl.Success)
            {
                line = line[decl.Length..];
            }

            var key = ObjectKey().Match(line);
            if (key.Success)
            {
                line = line[key.Length..];
            }

            line = LoopHead().Replace(line, " ");
            foreach (Match id in Identifier().Matches(line))
            {
                if (!Keywords.Contains(id.Value))
                {
                    used.Add(id.Value);
                }
            }
        }

        return used;
    }

    /// <summary>Object keys with their raw value text, from the raw file (e.g. app setting names).</summary>
    public IEnumerable<(string Key, string Value)> ObjectEntries()
    {
        foreach (var line in Text.Split('\n'))
        {
            var m = RawObjectEntry().Match(line);
            if (m.Success)
            {
                yield return (m.Groups[1].Value, m.Groups[2].Value.Trim());
            }
        }
    }

    /// <summary>The raw text of the block that starts at the first '{' at or after <paramref name="start"/>.</summary>
    public string BlockAt(int start)
    {
        var open = Code.IndexOf('{', start);
        if (open < 0)
        {
            return string.Empty;
        }

        var depth = 0;
        for (var i = open; i < Code.Length; i++)
        {
            depth += Code[i] switch { '{' or '[' => 1, '}' or ']' => -1, _ => 0 };
            if (depth == 0)
            {
                return Text[open..(i + 1)];
            }
        }

        return Text[open..];
    }

    private Dictionary<string, string> ModuleParams(int moduleIndex)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var body = BlockAt(moduleIndex);
        var bodyStart = Text.IndexOf(body, moduleIndex, StringComparison.Ordinal);
        var paramsMatch = ParamsKey().Match(Code, bodyStart, body.Length);
        if (!paramsMatch.Success)
        {
            return result;
        }

        var block = BlockAt(paramsMatch.Index + paramsMatch.Length);
        var blockStart = Text.IndexOf(block, paramsMatch.Index, StringComparison.Ordinal);
        var sanitized = Code.Substring(blockStart, block.Length);

        // Keys at depth 1 of the params block (the block text starts with its opening brace).
        var depth = 0;
        var offset = 0;
        foreach (var line in sanitized.Split('\n'))
        {
            if (depth == 1)
            {
                var k = ObjectKey().Match(line);
                if (k.Success)
                {
                    result[k.Groups[1].Value] = block.Substring(offset + k.Length, line.Length - k.Length).Trim();
                }
            }

            depth += Delta(line);
            offset += line.Length + 1;
        }

        return result;

        static int Delta(string s) => s.Count(ch => ch is '{' or '[') - s.Count(ch => ch is '}' or ']');
    }

    /// <summary>Removes comments and blanks string literals, keeping the expressions of <c>${...}</c> interpolations.</summary>
    internal static string Sanitize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    sb.Append(' ');
                    i++;
                }

                continue;
            }

            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                for (; i < end; i++)
                {
                    sb.Append(text[i] == '\n' ? '\n' : ' ');
                }

                continue;
            }

            if (c == '\'')
            {
                sb.Append(' ');
                i++;
                while (i < text.Length && text[i] != '\'')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        sb.Append("  ");
                        i += 2;
                        continue;
                    }

                    if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
                    {
                        sb.Append("  ");
                        i += 2;
                        var depth = 1;
                        while (i < text.Length && depth > 0)
                        {
                            depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
                            sb.Append(depth == 0 ? ' ' : text[i]);
                            i++;
                        }

                        continue;
                    }

                    sb.Append(text[i] == '\n' ? '\n' : ' ');
                    i++;
                }

                sb.Append(' ');
                i++;
                continue;
            }

            sb.Append(c);
            i++;
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"^\s*param\s+(\w+)\s+([\w.?]+)(\s*=.*)?$")]
    private static partial Regex ParamDecl();

    [GeneratedRegex(@"^\s*var\s+(\w+)\s*=")]
    private static partial Regex VarDecl();

    [GeneratedRegex(@"^\s*output\s+(\w+)\s+\w+\s*=")]
    private static partial Regex OutputDecl();

    [GeneratedRegex(@"^\s*resource\s+(\w+)\s")]
    private static partial Regex ResourceDecl();

    [GeneratedRegex(@"^\s*resource\s+(\w+)\s+'([^'@]+)@[^']*'", RegexOptions.Multiline)]
    private static partial Regex ResourceTypeDecl();

    [GeneratedRegex(@"^\s*module\s+(\w+)\s+'([^']+)'\s*=", RegexOptions.Multiline)]
    private static partial Regex ModuleDecl();

    [GeneratedRegex(@"\bfor\s+(\w+)\s+in\b")]
    private static partial Regex LoopVar();

    [GeneratedRegex(@"\bfor\s+\w+\s+in\b")]
    private static partial Regex LoopHead();

    [GeneratedRegex(@"^\s*(?:param|output)\s+\w+\s+[\w.?]+|^\s*(?:var|resource|module)\s+\w+")]
    private static partial Regex DeclarationHead();

    [GeneratedRegex(@"^\s*(\w+)\s*:(?!:)")]
    private static partial Regex ObjectKey();

    [GeneratedRegex(@"^\s*'?([A-Za-z_][\w-]*)'?\s*:\s*(.*)$")]
    private static partial Regex RawObjectEntry();

    [GeneratedRegex(@"\bparams\s*:")]
    private static partial Regex ParamsKey();

    // Not a property (.x), decorator (@x) or function call (x(...)); digits-only tokens never match.
    [GeneratedRegex(@"(?<![\w.@])[A-Za-z_]\w*\b(?!\s*\()")]
    private static partial Regex Identifier();
}

/// <summary>A <c>module sym 'path' = { params: {...} }</c> declaration.</summary>
internal sealed record ModuleCall(string Symbol, string RelativePath, Dictionary<string, string> Params);

/// <summary>Checks a folder of Bicep files and returns human-readable problems (empty = all good).</summary>
internal static partial class BicepLint
{
    public static List<string> Check(string mainPath)
    {
        var problems = new List<string>();
        var files = new Dictionary<string, BicepFile>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(System.IO.Path.GetFullPath(mainPath));
        while (queue.Count > 0)
        {
            var path = queue.Dequeue();
            if (files.ContainsKey(path))
            {
                continue;
            }

            var file = BicepFile.Load(path);
            files[path] = file;
            foreach (var module in file.Modules)
            {
                var target = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, module.RelativePath));
                if (!File.Exists(target))
                {
                    problems.Add($"{Name(file)}: module '{module.Symbol}' points to missing file '{module.RelativePath}'");
                    continue;
                }

                queue.Enqueue(target);
            }
        }

        foreach (var file in files.Values)
        {
            problems.AddRange(CheckFile(file));
            foreach (var module in file.Modules)
            {
                var target = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file.Path)!, module.RelativePath));
                if (files.TryGetValue(target, out var callee))
                {
                    problems.AddRange(CheckModuleCall(file, module, callee));
                }
            }
        }

        return problems;
    }

    public static List<string> CheckFile(BicepFile file)
    {
        var problems = new List<string>();
        var used = file.UsedIdentifiers();
        var declared = file.Symbols.ToHashSet(StringComparer.Ordinal);
        foreach (var id in used.Distinct(StringComparer.Ordinal))
        {
            if (!declared.Contains(id))
            {
                problems.Add($"{Name(file)}: '{id}' is used but not declared (param, var, resource, module or loop variable)");
            }
        }

        var usedSet = used.ToHashSet(StringComparer.Ordinal);
        foreach (var param in file.Params.Keys.Where(p => !usedSet.Contains(p)))
        {
            problems.Add($"{Name(file)}: param '{param}' is declared but never used");
        }

        foreach (var variable in file.Vars.Where(v => !usedSet.Contains(v)))
        {
            problems.Add($"{Name(file)}: var '{variable}' is declared but never used");
        }

        return problems;
    }

    public static List<string> CheckModuleCall(BicepFile caller, ModuleCall module, BicepFile callee)
    {
        var problems = new List<string>();
        foreach (var (param, hasDefault) in callee.Params)
        {
            if (!hasDefault && !module.Params.ContainsKey(param))
            {
                problems.Add($"{Name(caller)}: module '{module.Symbol}' does not pass required param '{param}' of {module.RelativePath}");
            }
        }

        foreach (var passed in module.Params.Keys.Where(k => !callee.Params.ContainsKey(k)))
        {
            problems.Add($"{Name(caller)}: module '{module.Symbol}' passes '{passed}', which {module.RelativePath} does not declare");
        }

        foreach (Match m in OutputRef().Matches(caller.Code))
        {
            if (m.Groups[1].Value == module.Symbol && !callee.Outputs.Contains(m.Groups[2].Value))
            {
                problems.Add($"{Name(caller)}: '{module.Symbol}.outputs.{m.Groups[2].Value}' is not an output of {module.RelativePath}");
            }
        }

        return problems;
    }

    private static string Name(BicepFile f) => System.IO.Path.GetFileName(f.Path);

    [GeneratedRegex(@"\b(\w+)!?\.outputs\.(\w+)")]
    private static partial Regex OutputRef();
}
