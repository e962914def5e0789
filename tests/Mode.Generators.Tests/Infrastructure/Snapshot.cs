using System.Runtime.CompilerServices;
using Mode.Generators;

namespace Mode.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshot checks in Verify's conventions: each generated file is compared with
/// <c>Snapshots/&lt;TestClass&gt;.&lt;TestMethod&gt;#&lt;HintName&gt;.verified.cs</c> beside the test.
/// On a mismatch the actual text goes to a <c>.received.cs</c> file and the test fails with the first
/// differing line; with <c>MODE_ACCEPT_SNAPSHOTS=1</c> the actual text becomes the verified one.
/// Line endings are normalised to <c>\n</c> and the generator version is replaced with
/// <see cref="VersionPlaceholder"/>.
/// </summary>
internal static class Snapshot
{
    public const string VersionPlaceholder = "{version}";

    private const string AcceptVariable = "MODE_ACCEPT_SNAPSHOTS";
    private const string VerifiedSuffix = ".verified.cs";
    private const string ReceivedSuffix = ".received.cs";

    /// <summary>
    /// Compares every file the run generated with its snapshot, and fails on a snapshot of this test
    /// that the run no longer generates. The test class is named after its file.
    /// </summary>
    public static void Verify(GeneratorRun run, [CallerFilePath] string testFile = "", [CallerMemberName] string testMethod = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        var prefix = Path.GetFileNameWithoutExtension(testFile) + "." + testMethod + "#";
        var accept = Environment.GetEnvironmentVariable(AcceptVariable) == "1";
        Directory.CreateDirectory(directory);

        Assert.NotEmpty(run.Sources);
        var failures = new List<string>();
        var expectedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (hintName, text) in run.Sources.OrderBy(static s => s.Key, StringComparer.Ordinal))
        {
            var stem = prefix + (hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName);
            var verifiedPath = Path.Combine(directory, stem + VerifiedSuffix);
            var receivedPath = Path.Combine(directory, stem + ReceivedSuffix);
            expectedFiles.Add(Path.GetFileName(verifiedPath));

            var actual = Normalize(text);
            var verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
            if (actual == verified)
            {
                File.Delete(receivedPath);
                continue;
            }

            if (accept)
            {
                File.WriteAllText(verifiedPath, actual);
                File.Delete(receivedPath);
                continue;
            }

            File.WriteAllText(receivedPath, actual);
            failures.Add(verified is null
                ? $"{Path.GetFileName(verifiedPath)}: no snapshot yet; the output is in {Path.GetFileName(receivedPath)} " +
                  $"(run with {AcceptVariable}=1 to accept it)."
                : $"{Path.GetFileName(verifiedPath)}: {FirstDifference(verified, actual)} (whole output in {Path.GetFileName(receivedPath)}).");
        }

        foreach (var stale in Directory.EnumerateFiles(directory, prefix + "*" + VerifiedSuffix))
        {
            var name = Path.GetFileName(stale);
            if (!expectedFiles.Contains(name))
            {
                if (accept)
                {
                    File.Delete(stale);
                }
                else
                {
                    failures.Add($"{name}: the generator no longer produces this file.");
                }
            }
        }

        if (failures.Count > 0)
        {
            Assert.Fail("Snapshot mismatch:\n" + string.Join("\n", failures));
        }
    }

    /// <summary>The text as stored: <c>\n</c> line endings and the version replaced.</summary>
    public static string Normalize(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace(
                "\"Mode.Generators\", \"" + ServiceGenerator.Version + "\"",
                "\"Mode.Generators\", \"" + VersionPlaceholder + "\"",
                StringComparison.Ordinal);

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var a = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (e != a)
            {
                return $"line {i + 1} differs:\n  expected: {e}\n  actual:   {a}";
            }
        }

        return "the texts differ";
    }
}
