import Platforms

extension EmulatorLink {
    /// A `:` line for the embedded platforms: the line itself, then the platform's reply, go to
    /// the log as notes (through `onStatus`); what the client answers, and the URC the module
    /// prints, follow as the emulator runs.
    public func play(_ play: PlatformPlay) {
        let registered = PlatformPlay.registeredProfile(in: host.emulator)
        onStatus(linkDescription, play.echo(on: play.explicitProfile ?? registered))
        let lines = play.run(registered: registered) { line, profile in host.perform(line: line, on: profile) }
        for line in lines { onStatus(linkDescription, line) }
    }
}
