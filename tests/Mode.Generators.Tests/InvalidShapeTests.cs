using Mode.Generators.Tests.Infrastructure;

namespace Mode.Generators.Tests;

/// <summary>
/// Input the generator does not support produces no code (and no exception, no diagnostic: the
/// analyzers report it). Each source still compiles, so the output must compile too; the standard
/// verifier (<see cref="GeneratorTest"/>) checks both.
/// </summary>
public sealed class InvalidShapeTests
{
    public static TheoryData<string, string> Sources => new()
    {
        {
            "class not partial",
            """
            public class Svc : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """
        },
        {
            "containing type not partial",
            """
            public class Outer
            {
                public partial class Svc : Service
                {
                    [Task] private Task RunAsync() => Task.CompletedTask;
                }
            }
            """
        },
        {
            "one of the partial declarations has no partial modifier in a nested chain",
            """
            public partial class Outer
            {
                public class Middle
                {
                    public partial class Svc : Service
                    {
                        [Timer(1)] private void Tick() { }
                    }
                }
            }
            """
        },
        {
            "not deriving from Service",
            """
            public partial class NotAService
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
                [Timer(1)] private void Tick() { }
                [Crontab("* * * * *")] private void Job() { }
                [DependsOn] private readonly IService? _child = null;
                public IService? Child => _child;
            }
            """
        },
        {
            "deriving from another class named Service",
            """
            public abstract class Service
            {
                protected virtual void ConfigureWiring(ServiceWiring wiring) { }
            }

            public partial class Lookalike : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """
        },
        {
            "static class",
            """
            public static partial class Helpers
            {
                [Task] private static Task RunAsync() => Task.CompletedTask;
            }
            """
        },
        {
            "file-local class",
            """
            file partial class Hidden : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """
        },
        {
            "nested in a file-local class",
            """
            file partial class Hidden
            {
                public partial class Svc : Service
                {
                    [Task] private Task RunAsync() => Task.CompletedTask;
                }
            }
            """
        },
        {
            "static method",
            """
            public partial class Svc : Service
            {
                [Task] private static Task RunAsync() => Task.CompletedTask;
                [Timer(1)] private static void Tick() { }
            }
            """
        },
        {
            "wrong return types",
            """
            public partial class Svc : Service
            {
                [Task] private void Run() { }
                [Task] private Task<int> Compute() => Task.FromResult(1);
                [Task] private ValueTask<int> ComputeValue() => default;
                [Timer(1)] private int Tick() => 1;
                [Crontab("* * * * *")] private IAsyncEnumerable<int> Job() => throw new NotSupportedException();
            }
            """
        },
        {
            "wrong parameters",
            """
            public partial class Svc : Service
            {
                [Task] private Task A(int x) => Task.CompletedTask;
                [Task] private Task B(CancellationToken a, CancellationToken b) => Task.CompletedTask;
                [Timer(1)] private void C(ref CancellationToken ct) { }
                [Timer(1)] private void D(in CancellationToken ct) { }
                [Crontab("* * * * *")] private void E(params CancellationToken[] ct) { }
                [Crontab("* * * * *")] private void F(string name = "x") { }
            }
            """
        },
        {
            "generic method",
            """
            public partial class Svc : Service
            {
                [Task] private Task RunAsync<T>() => Task.CompletedTask;
                [Timer(1)] private void Tick<T>() { }
            }
            """
        },
        {
            "DependsOn on members that are not services",
            """
            public partial class Svc : Service
            {
                [DependsOn] private readonly object _object = new();
                [DependsOn] private readonly string _text = "";
                [DependsOn] private int Number => 1;
                [DependsOn] private static IService? Static => null;
                [DependsOn] private IService? WriteOnly { set { } }
                [DependsOn] private const string Constant = "x";
                public override string Label => _object.ToString() + _text + Number + Constant;
            }
            """
        },
        {
            "hand-written ConfigureWiring",
            """
            public partial class Svc : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;

                protected override void ConfigureWiring(ServiceWiring wiring)
                {
                    base.ConfigureWiring(wiring);
                    wiring.AddTask("Svc.RunAsync", static (s, ct) => new ValueTask(((Svc)s).RunAsync()));
                }
            }
            """
        },
        {
            "sealed ConfigureWiring in a base class",
            """
            public abstract class Base : Service
            {
                protected sealed override void ConfigureWiring(ServiceWiring wiring) => base.ConfigureWiring(wiring);
            }

            public partial class Svc : Base
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """
        },
        {
            "invalid attribute arguments",
            """
            public partial class Svc : Service
            {
                [Crontab(null!)] private void Job() { }
            }
            """
        },
        {
            "explicit interface implementation",
            """
            public interface IRunner { Task RunAsync(); IService? Child { get; } }

            public partial class Svc : Service, IRunner
            {
                [Task] Task IRunner.RunAsync() => Task.CompletedTask;
                [DependsOn] IService? IRunner.Child => null;
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Generate_InvalidShape_EmitsNothing(string shape, string body)
    {
        _ = shape; // names the case in the test list
        var source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            {{body}}
            """;

        // No expected generated file: the verifier fails on any file generated, and on any error or warning.
        await new GeneratorTest().WithSource(source).RunAsync();
    }

    [Fact]
    public async Task Generate_NoAnnotatedMembers_EmitsNothing()
    {
        await new GeneratorTest().WithSource("""
            using Mode;

            namespace App;

            public partial class Plain : Service
            {
            }
            """).RunAsync();
    }

    [Fact]
    public void Generate_InvalidCode_DoesNotThrow()
    {
        // Broken code the user is typing: the generator must neither throw nor emit code that adds errors.
        var compilation = GeneratorRunner.CreateCompilation(["""
            using Mode;

            namespace App;

            public partial class Broken : Service
            {
                [Timer("ten")] private void A() { }
                [Timer] private void B() { }
                [Crontab] private void C() { }
                [Task] private Missing D() => null;
                [DependsOn] private Missing? _e;
                [Task] private System.Threading.Tasks.Task F(
            }
            """]);

        var driver = GeneratorRunner.CreateDriver().RunGenerators(compilation);

        var result = Assert.Single(driver.GetRunResult().Results);
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
    }
}
