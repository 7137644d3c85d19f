using System.Runtime.CompilerServices;

namespace HotelAgent.Tests.Channels.WhatsApp;

/// <summary>Reads the webhook fixtures next to this file (real Cloud API shapes).</summary>
internal static class Payloads
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder(), "Payloads", name));

    private static string Folder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
