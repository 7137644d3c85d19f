namespace HotelAgent.Core.Audio;

/// <summary>Which Opus encoder offline synthesis uses.</summary>
public enum OpusEncoderKind
{
    None,
    OpusEnc,
    Ffmpeg,
}

/// <summary>What this machine can do offline, found once at start.</summary>
/// <param name="CanSynthesizeOffline">eSpeak NG and an Opus encoder are both present.</param>
/// <param name="Reason">Human explanation (what is used, or what is missing and how to install it).</param>
/// <param name="EspeakPath">Resolved eSpeak NG executable.</param>
/// <param name="EncoderPath">Resolved encoder executable.</param>
/// <param name="Encoder">Which encoder.</param>
public sealed record AudioCapabilities(bool CanSynthesizeOffline, string Reason, string? EspeakPath, string? EncoderPath, OpusEncoderKind Encoder);

/// <summary>Finds espeak-ng and opusenc/ffmpeg on PATH (or at configured paths) without running them.</summary>
public sealed class AudioToolsProbe(AudioOptions options)
{
    /// <summary>Probes the tools; <paramref name="pathVariable"/> replaces the PATH environment variable (tests).</summary>
    public AudioCapabilities Probe(string? pathVariable = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var espeak = FindExecutable(options.EspeakPath, path);
        var opusenc = FindExecutable(options.OpusEncPath, path);
        var ffmpeg = opusenc is null ? FindExecutable(options.FfmpegPath, path) : null;
        var (encoder, encoderPath) = opusenc is not null ? (OpusEncoderKind.OpusEnc, opusenc)
            : ffmpeg is not null ? (OpusEncoderKind.Ffmpeg, ffmpeg)
            : (OpusEncoderKind.None, null);

        var missing = new List<string>();
        if (espeak is null)
        {
            missing.Add($"'{options.EspeakPath}' (Debian package espeak-ng)");
        }

        if (encoder == OpusEncoderKind.None)
        {
            missing.Add($"an Opus encoder: '{options.OpusEncPath}' (opus-tools) or '{options.FfmpegPath}' (ffmpeg)");
        }

        if (missing.Count > 0)
        {
            return new AudioCapabilities(false, "Offline speech synthesis is disabled: missing " + string.Join(" and ", missing) + ".", espeak, encoderPath, encoder);
        }

        return new AudioCapabilities(true, $"Offline speech synthesis with {espeak} and {encoderPath}.", espeak, encoderPath, encoder);
    }

    /// <summary>Resolves a tool name on <paramref name="pathVariable"/>, or checks a path; null when not an existing executable file.</summary>
    public static string? FindExecutable(string nameOrPath, string pathVariable)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath))
        {
            return null;
        }

        if (nameOrPath.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(nameOrPath))
        {
            return IsExecutable(nameOrPath) ? Path.GetFullPath(nameOrPath) : null;
        }

        foreach (var dir in (pathVariable ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var candidate = Path.Combine(dir, nameOrPath);
            if (IsExecutable(candidate))
            {
                return candidate;
            }

            if (OperatingSystem.IsWindows() && IsExecutable(candidate + ".exe"))
            {
                return candidate + ".exe";
            }
        }

        return null;
    }

    private static bool IsExecutable(string file)
    {
        if (!File.Exists(file))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(file) & anyExecute) != 0;
    }
}
