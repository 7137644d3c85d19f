namespace HotelAgent.Tests.Infra;

/// <summary>Finds the repository root (the folder holding HotelAgent.sln) from the test output folder.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "HotelAgent.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("HotelAgent.sln not found above " + AppContext.BaseDirectory);
    }
}
