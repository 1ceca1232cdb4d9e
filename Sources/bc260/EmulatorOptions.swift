import ArgumentParser
import ModuleCore
import Platforms

/// The options `bc260 serve` and `bc260 run` share to build their ``Emulator``: the module's
/// identity, where its saved state lives, and `--remap` rules.
struct EmulatorOptions: ParsableArguments {
    @Option(help: "The module's IMEI (15 digits).")
    var imei: String?

    @Option(help: "The SIM's IMSI (up to 15 digits).")
    var imsi: String?

    @Option(help: "Directory of the saved module state (AT+QLACONFIG, AT+QLACFG, custom objects).")
    var state: String?

    @Option(name: .customLong("remap"), help: ArgumentHelp(
        "Send the module's datagrams for the first address to the second instead (repeatable), "
            + "e.g. 127.0.0.1:5683=180.101.147.115:5683 (an embedded platform) or 180.101.147.115:5683=192.0.2.7:5683 (a real server).",
        valueName: "HOST:PORT=HOST:PORT"))
    var remapTexts: [String] = []

    @Option(name: .customLong("sleep-idle"), help: ArgumentHelp(
        "Seconds the module stays idle with AT+QSCLK=1 before deep sleep (default 10).", valueName: "SECONDS"))
    var sleepIdle: Double = 10

    func validate() throws {
        if let imei, imei.count != 15 || !imei.allSatisfy(\.isASCIIDigit) {
            throw ValidationError("--imei: 15 digits, not '\(imei)'")
        }
        if let imsi, imsi.isEmpty || imsi.count > 15 || !imsi.allSatisfy(\.isASCIIDigit) {
            throw ValidationError("--imsi: up to 15 digits, not '\(imsi)'")
        }
        _ = try remaps()
        guard sleepIdle >= 0.001, sleepIdle <= 86_400 else {
            throw ValidationError("--sleep-idle: from 0.001 to 86400 seconds, not \(sleepIdle)")
        }
    }

    /// True when any option here was given (they mean nothing against a real module).
    var anyGiven: Bool { imei != nil || imsi != nil || state != nil || !remapTexts.isEmpty || sleepIdle != 10 }

    func remaps() throws -> [AddressRemap] {
        try remapTexts.map { text in
            do {
                return try AddressRemap(parsing: text)
            } catch {
                throw ValidationError("--remap: \(error)")
            }
        }
    }

    /// The store at `--state`, else at `fallback` (nil: no store).
    func store(fallback: String? = nil) -> ModuleStateStore? {
        (state ?? fallback).map { ModuleStateStore(directory: $0) }
    }

    /// The emulator's configuration: this identity and these remaps, starting from `savedState`.
    func configuration(savedState: ModuleState) throws -> Emulator.Configuration {
        let defaults = ModuleIdentity()
        return Emulator.Configuration(identity: ModuleIdentity(imei: imei ?? defaults.imei, imsi: imsi ?? defaults.imsi),
                                      timing: ModuleTiming(deepSleepIdleMilliseconds: Int64(sleepIdle * 1000)),
                                      savedState: savedState, remaps: try remaps())
    }
}

extension ModuleStateStore {
    /// The saved state, or the defaults; why the defaults is logged.
    func loadLogging() -> ModuleState {
        let loaded = load()
        if let note = loaded.note { log(note) }
        return loaded.state
    }
}
