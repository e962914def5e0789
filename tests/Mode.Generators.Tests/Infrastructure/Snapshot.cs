using System.Runtime.CompilerServices;
using Mode.Generators;

namespace Mode.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshot checks in Verify's conventions: the files a test's sources generate are expected to be
/// <c>Snapshots/&lt;TestClass&gt;.&lt;TestMethod&gt;#&lt;HintName&gt;.verified.cs</c> beside the test, all
/// of them and nothing else. The comparison is the standard generated-sources check of
/// <see cref="GeneratorTest"/>. On a mismatch the actual files are written as <c>.received.cs</c>
/// beside the snapshots; with <c>MODE_ACCEPT_SNAPSHOTS=1</c> the actual files become the verified
/// ones (and snapshots of files no longer generated are deleted). Snapshots are stored with <c>\n</c>
/// line endings and the generator version replaced with <see cref="VersionPlaceholder"/>.
/// </summary>
internal static class Snapshot
{
    public const string VersionPlaceholder = "{version}";

    private const string AcceptVariable = "MODE_ACCEPT_SNAPSHOTS";
    private const string VerifiedSuffix = ".verified.cs";
    private const string ReceivedSuffix = ".received.cs";

    /// <summary>Verifies what <paramref name="input"/> generates against the test's snapshots. The test class is named after its file.</summary>
    public static async Task VerifyAsync(GeneratorInput input, [CallerFilePath] string testFile = "", [CallerMemberName] string testMethod = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        var prefix = Path.GetFileNameWithoutExtension(testFile) + "." + testMethod + "#";
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Write(input, directory, prefix, VerifiedSuffix, deleteStale: true);
        }

        var test = GeneratorTest.For(input);
        var snapshots = Directory.EnumerateFiles(directory, prefix + "*" + VerifiedSuffix).Order(StringComparer.Ordinal).ToArray();
        Assert.True(snapshots.Length > 0, $"No snapshot {prefix}*{VerifiedSuffix} yet: run with {AcceptVariable}=1 to write them.");
        foreach (var snapshot in snapshots)
        {
            var name = Path.GetFileName(snapshot);
            var hintName = name[prefix.Length..^VerifiedSuffix.Length] + ".cs";
            test.ExpectingFile(hintName, Denormalize(File.ReadAllText(snapshot)));
        }

        try
        {
            await test.RunAsync();
        }
        catch
        {
            Write(input, directory, prefix, ReceivedSuffix, deleteStale: false);
            throw;
        }

        foreach (var received in Directory.EnumerateFiles(directory, prefix + "*" + ReceivedSuffix))
        {
            File.Delete(received);
        }
    }

    /// <inheritdoc cref="VerifyAsync(GeneratorInput, string, string)"/>
    public static Task VerifyAsync(string[] sources, [CallerFilePath] string testFile = "", [CallerMemberName] string testMethod = "") =>
        VerifyAsync(new GeneratorInput(sources), testFile, testMethod);

    /// <summary>The text as stored: <c>\n</c> line endings and the version replaced.</summary>
    public static string Normalize(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace(VersionArgument(ServiceGenerator.Version), VersionArgument(VersionPlaceholder), StringComparison.Ordinal);

    /// <summary>The stored text as the generator writes it: the version put back.</summary>
    private static string Denormalize(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace(VersionArgument(VersionPlaceholder), VersionArgument(ServiceGenerator.Version), StringComparison.Ordinal);

    private static string VersionArgument(string version) => "\"Mode.Generators\", \"" + version + "\"";

    /// <summary>Runs the generator and writes each file it generates as <c>prefix + hint name + suffix</c>.</summary>
    private static void Write(GeneratorInput input, string directory, string prefix, string suffix, bool deleteStale)
    {
        Directory.CreateDirectory(directory);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (hintName, text) in GeneratorRunner.Run(input).Sources)
        {
            var path = Path.Combine(directory, prefix + hintName[..^".cs".Length] + suffix);
            File.WriteAllText(path, Normalize(text));
            written.Add(path);
        }

        if (deleteStale)
        {
            foreach (var stale in Directory.EnumerateFiles(directory, prefix + "*" + suffix).Where(p => !written.Contains(p)))
            {
                File.Delete(stale);
            }
        }
    }
}
