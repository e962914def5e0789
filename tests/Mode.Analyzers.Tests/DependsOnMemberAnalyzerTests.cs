using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

public class DependsOnMemberAnalyzerTests
{
    private const string Id = DiagnosticIds.DependencyNotAService;

    [Fact]
    public Task Analyze_ServiceTypedMembers_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class Cache : Service;

            public interface IDatabase : IService;

            public partial class App<TChild> : Service where TChild : IService
            {
                [DependsOn] private readonly Cache _cache = new();
                [DependsOn] private readonly IService? _any = null;
                [DependsOn] private IDatabase? Database { get; init; }
                [DependsOn] private TChild? Child { get; set; }
                [DependsOn] private Service? Dynamic { get; }
            }
            """);

    [Fact]
    public Task Analyze_StringField_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [DependsOn] private readonly string [|_name|] = "";
            }
            """);

    [Fact]
    public Task Analyze_ServiceArrayProperty_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [DependsOn] public Service[] [|Children|] { get; } = [];
            }
            """);

    [Fact]
    public Task Analyze_UnconstrainedTypeParameter_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App<T> : Service
            {
                [DependsOn] private T? [|_child|];
            }
            """);

    [Fact]
    public Task Analyze_DisposableNotService_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [DependsOn] private readonly IAsyncDisposable? [|_resource|] = null;
            }
            """);

    [Fact]
    public Task Analyze_StaticServiceField_ReportsMode009() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class Cache : Service;

            public partial class App : Service
            {
                [DependsOn] private static readonly Cache {|MODE009:s_cache|} = new();
            }
            """);

    [Fact]
    public Task Analyze_WriteOnlyProperty_ReportsMode009() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                private Service? _child;

                [DependsOn] public Service? {|MODE009:Child|} { set => _child = value; }
            }
            """);

    [Fact]
    public Task Analyze_StaticStringProperty_ReportsBoth() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [DependsOn] public static string {|MODE009:[|Name|]|} { get; } = "";
            }
            """);
}
