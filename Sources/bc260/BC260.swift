import ArgumentParser

@main
struct BC260: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bc260",
        abstract: "A console for the Quectel BC260Y-CN's LwM2M AT commands, with an emulated module and LwM2M platforms.",
        subcommands: [ConsoleCommand.self, PlatformCommandLine.self, ServeCommand.self, RunCommand.self],
        defaultSubcommand: ConsoleCommand.self)
}
