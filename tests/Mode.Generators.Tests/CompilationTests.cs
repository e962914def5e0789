using Mode.Generators.Tests.Infrastructure;

namespace Mode.Generators.Tests;

/// <summary>The generated code compiles cleanly under strict settings users may have.</summary>
public sealed class CompilationTests
{
    [Fact]
    public void Generate_DocumentationWarningsOn_NoMissingXmlCommentWarning()
    {
        // With GenerateDocumentationFile, a protected override in a public class needs a doc
        // comment (CS1591); the generated method carries <inheritdoc/>.
        var run = GeneratorRunner.Run(
            ["""
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            /// <summary>A documented public service.</summary>
            public partial class Documented : Service
            {
                /// <summary>The dependency.</summary>
                [DependsOn] public IService? Child { get; set; }

                [Task] private Task RunAsync() => Task.CompletedTask;

                /// <summary>A nested documented service.</summary>
                public partial class Nested : Service
                {
                    [Timer(1)] private void Tick() { }
                }
            }
            """],
            documentation: true);

        // Two services and the service graph.
        Assert.Equal(3, run.Sources.Count);
    }

    [Fact]
    public void Generate_ManyServicesInOneCompilation_OneFilePerServiceWithUniqueHintNames()
    {
        var sources = Enumerable.Range(0, 20).Select(static i => $$"""
            namespace App.N{{i % 5}};

            public partial class Service{{i}} : global::Mode.Service
            {
                [global::Mode.Timer({{i + 1}})] private void Tick() { }

                public partial class Inner : global::Mode.Service
                {
                    [global::Mode.Task] private global::System.Threading.Tasks.Task RunAsync() => global::System.Threading.Tasks.Task.CompletedTask;
                }
            }
            """).ToArray();

        var run = GeneratorRunner.Run(sources);

        Assert.Equal(40 + 1, run.Sources.Count); // and the service graph
        Assert.Contains("App.N3.Service8.Inner.Mode.g.cs", run.Sources.Keys);
    }

    [Fact]
    public void Generate_ObsoleteMembers_NoObsoleteWarningFromGeneratedCode()
    {
        var run = GeneratorRunner.Run("""
            using System;
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public partial class Legacy : Service
            {
                [Obsolete("use something else")]
                [DependsOn] public IService? Child { get; set; }

                [Obsolete]
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """);

        Assert.Equal(["App.Legacy.Mode.g.cs", ServiceGenerator.GraphHintName], run.Sources.Keys.Order(StringComparer.Ordinal));
    }
}
