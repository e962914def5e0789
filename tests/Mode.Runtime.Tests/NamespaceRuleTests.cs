namespace Mode.Runtime.Tests;

/// <summary>
/// The namespace rule of Mode.Runtime (CONTRIBUTING.md): users compile against one <c>using Mode;</c>,
/// plus the opt-in <c>Mode.Logging</c> and <c>Mode.Diagnostics</c>. IDE0130 (.editorconfig) checks
/// that every other folder is the namespace of its internal types.
/// </summary>
public class NamespaceRuleTests
{
    [Fact]
    public void PublicTypes_AreInTheRootNamespaceOrAnOptInOne()
    {
        string[] allowed = ["Mode", "Mode.Logging", "Mode.Diagnostics"];

        var misplaced = typeof(Service).Assembly.GetExportedTypes()
            .Where(t => !allowed.Contains(t.Namespace))
            .Select(static t => t.FullName)
            .ToArray();

        Assert.Empty(misplaced);
    }
}
