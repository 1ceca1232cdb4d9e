import ATProtocol
import CoAP
import LwM2M

extension EmulatedModule {
    /// Runs one framed command line: parse and validate it against the catalogue, then hand it
    /// to its handler.
    mutating func execute(_ line: FramedLine, now: Instant) {
        switch line.content {
        case .tooLong(let count):
            reject("line of \(count) bytes is longer than \(framer.maximumLineLength)")
        case .invalid(let reason):
            reject("unreadable line: \(reason)")
        case .text(let text):
            switch CommandCatalogue.bc260y.check(text) {
            case .failure(let rejection): reject(rejection.description)
            case .success(let command): dispatch(command, now: now)
            }
        }
    }

    mutating func dispatch(_ command: ValidatedCommand, now: Instant) {
        if command.form == .test {
            for line in command.spec.testAnswer { emit(line) }
            emit(.ok)
            return
        }
        switch command.spec.name {
        case "AT": emit(.ok)
        case "ATI", "ATE", "AT+CGMI", "AT+CGMM", "AT+CGMR", "AT+CGSN", "AT+CIMI", "AT+CFUN", "AT+CEREG",
             "AT+CGPADDR", "AT+CSQ", "AT+QSCLK", "AT+QRST":
            basic(command, now: now)
        case "AT+QLACONFIG": qlaconfig(command)
        case "AT+QLACFG": qlacfg(command)
        case "AT+QLAADDOBJ": qlaaddobj(command)
        case "AT+QLADELOBJ": qladelobj(command)
        case "AT+QLAREG": qlareg(now: now)
        case "AT+QLAUPDATE": qlaupdate(command, now: now)
        case "AT+QLADEREG": qladereg()
        case "AT+QLASTATUS":
            emit(.information("QLASTATUS", .integer(status.rawValue)))
            emit(.ok)
        case "AT+QLARDRSP", "AT+QLAOBSRSP": answerWithValue(command)
        case "AT+QLAWRRSP", "AT+QLAEXERSP": answerWithoutValue(command)
        case "AT+QLANOTIFY": qlanotify(command)
        case "AT+QLASENDDATA": qlasenddata(command)
        default: reject("\(command.spec.name): in the catalogue but not handled by the engine")
        }
    }

    // MARK: Basics

    mutating func basic(_ command: ValidatedCommand, now: Instant) {
        switch command.spec.name {
        case "ATI":
            // One information response of three lines, as Quectel modules print it.
            emitBlock(["Quectel", "BC260Y-CN", "Revision: " + identity.revision])
        case "ATE":
            echo = command.form == .set && command.integer("value") == 1
        case "AT+CGMI": emit(.text("Quectel"))
        case "AT+CGMM": emit(.text("BC260Y-CN"))
        case "AT+CGMR": emit(.text("Revision: " + identity.revision))
        case "AT+CIMI": emit(.text(identity.imsi))
        case "AT+CGSN":
            if command.form == .execute {
                emit(.text(identity.serialNumber))
            } else {
                let value = switch command.integer("snt") {
                case 1: identity.imei
                case 2: identity.imeisv
                case 3: identity.softwareVersionNumber
                default: identity.serialNumber
                }
                emit(.information("CGSN", .token(value)))
            }
        case "AT+CFUN":
            if command.form == .query {
                emit(.information("CFUN", .integer(functionality)))
            } else {
                functionality = command.integer("fun") ?? functionality
            }
        case "AT+CEREG":
            if command.form == .query {
                emit(.information("CEREG", .integer(ceregMode), .integer(functionality == 1 ? 1 : 0)))
            } else {
                ceregMode = command.integer("n") ?? ceregMode
            }
        case "AT+CGPADDR":
            let cid = command.form == .set ? command.integer("cid") : 0
            if functionality == 1, cid == 0 {
                emit(.information("CGPADDR", .integer(0), .string(identity.pdpAddress)))
            }
        case "AT+CSQ":
            emit(functionality == 1 ? .information("CSQ", .integer(identity.rssi), .integer(identity.bitErrorRate))
                                    : .information("CSQ", .integer(99), .integer(99)))
        case "AT+QSCLK":
            if command.form == .query {
                emit(.information("QSCLK", .integer(sleepAllowed ? 1 : 0)))
            } else {
                sleepAllowed = command.integer("n") == 1
            }
        case "AT+QRST":
            emit(.ok)
            restart(now: now)
            return
        default: break
        }
        emit(.ok)
    }

    /// AT+QRST=1: the session is forgotten (observations with it), the saved state stays, the
    /// banner follows after ``ModuleTiming/restartMilliseconds``.
    mutating func restart(now: Instant) {
        if sessionExists { issue(.discard, as: nil) }
        status = .unregistered
        registration = nil
        outstanding = [:]
        pendingServerRequests = [:]
        observations = []
        notifyAssembly = nil
        framer.reset()
        if timing.restartMilliseconds == 0 {
            boot(now: now)
        } else {
            power = .restarting(until: now + timing.restartMilliseconds)
        }
    }

    /// The session holds something worth discarding.
    var sessionExists: Bool {
        !outstanding.isEmpty || registration != nil || ![.unregistered, .deregistered].contains(status)
    }
}
