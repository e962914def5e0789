// Mode's tutorial (seeds/: "Services", "Graph", "Proxy", "Worker", "Beacons"), piece by piece in C#.
//
//   app = App()
//   if __name__ == '__main__':
//       from mode import Worker
//       Worker(app, loglevel="info").execute_from_commandline()
using Microsoft.Extensions.Logging;
using Mode;
using Tutorial;

var app = new App();
var worker = new Worker(app, new WorkerOptions { LogLevel = LogLevel.Information });

// The tutorial's own options, next to the Worker's --loglevel, --logfile, --quiet, --debug.
worker.CommandLine.AddOption("--port", "PORT", "web server port (default 8000)", v => app.WebPort = Arguments.Port(v), "-p");
worker.CommandLine.AddOption("--bind", "HOST", "address to serve on (default 127.0.0.1; 0.0.0.0 for all)", v => app.WebBind = Arguments.BindAddress(v));
worker.CommandLine.AddOption("--websocket-port", "PORT", "WebSocket echo server port (default 8001)", v => app.WebsocketPort = Arguments.Port(v));
worker.CommandLine.AddOption("--graph", "FILE", "write the service graph at start: FILE.dot (Graphviz) or FILE.mmd (Mermaid)", v => app.GraphFile = Arguments.GraphFile(v));

// For the integration tests only (not in --help): a crash once started, a supervisor around
// UserCache, a pause while parsing, a stop that never ends.
worker.CommandLine.AddFlag("--crash-after-start", "crash UserCache once everything has started", () => app.CrashAfterStart = true, hidden: true);
worker.CommandLine.AddOption("--supervise", "STRATEGY", "run UserCache under a one-for-one or crashing supervisor", v => app.Supervise = Arguments.Strategy(v), hidden: true);
// Holds the command line's parsing until a line on stdin, so a test can signal the process before
// the tree exists (the Worker's handlers are installed before it parses).
worker.CommandLine.AddFlag("--pause-while-parsing", "print 'Parsing paused' and wait for a line on stdin", () =>
{
    Console.Out.Write("Parsing paused\n");
    Console.Out.Flush();
    Console.In.ReadLine();
}, hidden: true);
worker.CommandLine.AddFlag("--hang-on-stop", "make Websockets' stop hang (a second Ctrl-C forces the exit)", () => app.HangOnStop = true, hidden: true);

return worker.ExecuteFromCommandLine(args);
