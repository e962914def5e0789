using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Mode.Benchmarks;

/// <summary>
/// The SDK's own C# compiler (<c>csc.dll</c>), run as a process on sources written to a folder, as a
/// build runs it: the real wall time of a compilation with and without the Mode generator and
/// analyzers, with csc's overlap of analyzers and emit and its shared binding.
/// </summary>
/// <remarks>
/// csc is found under the dotnet root that runs this process (or <c>DOTNET_ROOT</c>, or the default
/// install folder), in <c>sdk/&lt;version&gt;/Roslyn/bincore</c>, the version being what
/// <c>dotnet --version</c> prints in the repository (global.json pins it). The references are the
/// SDK's reference pack for this runtime (what a build passes), plus Mode.Runtime and
/// Microsoft.Extensions.Logging.Abstractions. When something is missing, <see cref="Missing"/> says
/// what, and the scenario prints a "not available" row instead of measuring.
/// </remarks>
internal sealed partial class CscBuild
{
    private CscBuild(string? missing, string dotnet = "", string csc = "", string[]? references = null, string description = "", bool skipped = false)
    {
        Missing = missing;
        IsSkipped = skipped;
        Dotnet = dotnet;
        Csc = csc;
        References = references ?? [];
        Description = description;
    }

    /// <summary>Why csc cannot run here, or <see langword="null"/> when it can.</summary>
    public string? Missing { get; }

    /// <summary>Whether csc was left out on purpose (<see cref="Missing"/> says why), rather than not found.</summary>
    public bool IsSkipped { get; }

    /// <summary>The <c>dotnet</c> host that runs csc.</summary>
    public string Dotnet { get; }

    /// <summary>The SDK's <c>csc.dll</c>.</summary>
    public string Csc { get; }

    /// <summary>The metadata references passed with <c>/r:</c>.</summary>
    public string[] References { get; }

    /// <summary>Which csc and which references, for the row.</summary>
    public string Description { get; }

    /// <summary>A csc that is not run, with the reason (e.g. a smoke run).</summary>
    public static CscBuild Skipped(string reason) => new(reason, skipped: true);

    /// <summary>Finds the SDK's csc.dll and the reference pack; never throws.</summary>
    public static CscBuild Find()
    {
        try
        {
            var root = DotnetRoot();
            if (root is null)
            {
                return new("no dotnet root found (not run by dotnet, no DOTNET_ROOT, no default install)");
            }

            var dotnet = Path.Combine(root, RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet");
            var version = SdkVersion(dotnet);
            if (version is null)
            {
                return new($"`{dotnet} --version` did not answer in the repository");
            }

            var csc = Path.Combine(root, "sdk", version, "Roslyn", "bincore", "csc.dll");
            if (!File.Exists(csc))
            {
                return new($"{csc} does not exist");
            }

            var (platform, platformDescription) = PlatformReferences(root);
            var mode = new[] { typeof(Service).Assembly.Location, typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location };
            return new(null, dotnet, csc, [.. platform, .. mode], $"SDK {version} csc, {platformDescription}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new("csc lookup failed: " + ex.Message);
        }
    }

    /// <summary>
    /// Writes <paramref name="trees"/> to <paramref name="folder"/> with a response file naming them,
    /// the references and the options of a Release library build.
    /// </summary>
    /// <returns>The response file.</returns>
    public string WriteProject(string folder, IEnumerable<SyntaxTree> trees)
    {
        var sources = Path.Combine(folder, "src");
        Directory.CreateDirectory(sources);
        var rsp = new StringBuilder();
        rsp.AppendLine("/nologo");
        rsp.AppendLine("/target:library");
        rsp.AppendLine("/optimize+");
        rsp.AppendLine("/nullable:enable");
        rsp.AppendLine("/langversion:latest");
        rsp.AppendLine("/deterministic+");
        // The SDK's default NoWarn (assembly-version unification notes), so the output is as in a build.
        rsp.AppendLine("/nowarn:1701,1702");
        // English messages, so that the /reportanalyzer summary can be read back whatever the locale.
        rsp.AppendLine("/preferreduilang:en");
        foreach (var reference in References)
        {
            rsp.AppendLine(CultureInfo.InvariantCulture, $"/r:\"{reference}\"");
        }

        foreach (var tree in trees)
        {
            var path = Path.Combine(sources, tree.FilePath);
            File.WriteAllText(path, tree.GetText().ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            rsp.AppendLine(CultureInfo.InvariantCulture, $"\"{path}\"");
        }

        var file = Path.Combine(folder, "build.rsp");
        File.WriteAllText(file, rsp.ToString());
        return file;
    }

    /// <summary>
    /// Runs csc on the response file (<c>/noconfig</c> on the command line, where csc honours it),
    /// adding <paramref name="extra"/>; throws if the compilation fails.
    /// </summary>
    /// <returns>The wall time from process start to exit, and what csc printed.</returns>
    public async Task<(double WallMs, string Output)> RunAsync(string rsp, params string[] extra)
    {
        var start = new ProcessStartInfo(Dotnet)
        {
            WorkingDirectory = Path.GetDirectoryName(rsp),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Csc);
        start.ArgumentList.Add("/noconfig");
        start.ArgumentList.Add("@" + rsp);
        foreach (var arg in extra)
        {
            start.ArgumentList.Add(arg);
        }

        var t0 = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + Dotnet);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var t1 = Stopwatch.GetTimestamp();
        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var errors = output.Split('\n').Where(static l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(5);
            throw new InvalidOperationException(
                $"csc failed (exit {process.ExitCode}) on {rsp} {string.Join(' ', extra)}: {string.Join(" | ", errors.DefaultIfEmpty(output.Trim()))}");
        }

        return (Measure.ElapsedMs(t0, t1), output);
    }

    /// <summary>Reads "Total analyzer/generator execution time: X seconds" from a <c>/reportanalyzer</c> output.</summary>
    /// <returns>The seconds, or NaN where the line is missing.</returns>
    public static (double Generators, double Analyzers) ReadReport(string output)
    {
        return (Read(GeneratorTotal().Match(output)), Read(AnalyzerTotal().Match(output)));

        static double Read(Match match) =>
            match.Success && double.TryParse(match.Groups[1].Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : double.NaN;
    }

    [GeneratedRegex(@"Total generator execution time:\s*([0-9.,]+)")]
    private static partial Regex GeneratorTotal();

    [GeneratedRegex(@"Total analyzer execution time:\s*([0-9.,]+)")]
    private static partial Regex AnalyzerTotal();

    /// <summary>
    /// The dotnet install running this process: the host itself when it is <c>dotnet</c>, else
    /// <c>DOTNET_ROOT</c>, else the root above the shared runtime, else the default install folder.
    /// </summary>
    private static string? DotnetRoot()
    {
        var exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        var candidates = new List<string?>();
        if (Environment.ProcessPath is { } process && Path.GetFileName(process).Equals(exe, StringComparison.OrdinalIgnoreCase))
        {
            candidates.Add(Path.GetDirectoryName(process));
        }

        candidates.Add(Environment.GetEnvironmentVariable("DOTNET_ROOT"));
        // <root>/shared/Microsoft.NETCore.App/<version>/
        candidates.Add(Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")));
        candidates.Add(RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "dotnet")
            : "/usr/share/dotnet");
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(Path.Combine(c, exe)));
    }

    /// <summary>What <c>dotnet --version</c> prints in the repository (global.json decides), or null.</summary>
    private static string? SdkVersion(string dotnet)
    {
        var start = new ProcessStartInfo(dotnet, ["--version"])
        {
            WorkingDirectory = AotScenarios.FindRepository(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }

        var stderr = process.StandardError.ReadToEndAsync();
        var version = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        _ = stderr.Result;
        return process.ExitCode == 0 && version.Length > 0 && !version.Contains(' ', StringComparison.Ordinal) ? version : null;
    }

    /// <summary>
    /// The reference pack of this runtime's major version (<c>packs/Microsoft.NETCore.App.Ref/&lt;v&gt;/ref/net&lt;major&gt;.0</c>),
    /// or, without one, the implementation assemblies the in-process compilation uses.
    /// </summary>
    private static (string[] Paths, string Description) PlatformReferences(string root)
    {
        var major = Environment.Version.Major;
        var pack = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (Directory.Exists(pack))
        {
            var best = Directory.GetDirectories(pack)
                .Select(static d => (Dir: d, Ok: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v), Version: v))
                .Where(d => d.Ok && d.Version!.Major == major)
                .OrderByDescending(static d => d.Version)
                .Select(d => Path.Combine(d.Dir, "ref", $"net{major}.0"))
                .FirstOrDefault(Directory.Exists);
            if (best is not null)
            {
                return (Directory.GetFiles(best, "*.dll"), "reference pack " + Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(best))));
            }
        }

        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(static p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .ToArray();
        return (platform, "no reference pack: the runtime's own assemblies");
    }
}
