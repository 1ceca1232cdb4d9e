import ATProtocol
import CoAP

extension SessionModel {
    /// Commands whose `+NAME: <result_code>[,...]` line reports an exchange's outcome.
    static let resultLineNames: Set<String> = [
        "QLAREG", "QLADEREG", "QLAUPDATE", "QLAADDOBJ", "QLADELOBJ", "QLARDRSP", "QLAWRRSP", "QLAEXERSP",
        "QLAOBSRSP", "QLANOTIFY", "QLASENDDATA", "QLASENDATA",
    ]

    // MARK: The end of a command

    mutating func finishCommand(accepted: Bool, at now: Instant) {
        guard let command = inFlight else { return }
        inFlight = nil
        guard accepted else {
            if let rejection = command.rejection { note("rejected: \(rejection)", at: now) }
            return
        }
        guard let v = command.validated else { return }
        switch (v.spec.name, v.form) {
        case ("AT+QLAADDOBJ", .set):
            if let o = v.integer("objectID"), let i = v.integer("instantID") {
                objects.add(objectID: o, instanceID: i, resourceIDs: v.values("resourceID").compactMap(\.integerValue))
            }
        case ("AT+QLAADDOBJ", .query):
            let listed = command.information.compactMap { fields -> (objectID: Int64, instanceID: Int64, resourceIDs: [Int64])? in
                let n = fields.compactMap(\.integerValue)
                guard n.count >= 3, n.count == fields.count else { return nil }
                return (n[0], n[1], Array(n.dropFirst(3)))
            }
            objects.replaceCustom(with: listed)
        case ("AT+QLADELOBJ", .set):
            if let o = v.integer("objectID") { objects.remove(objectID: o) }
        case ("AT+QLACONFIG", .set):
            guard let host = v.string("serverIP"), let port = v.integer("port"), let endpoint = v.string("endpoint_name"),
                  let lifetime = v.integer("lifetime"), let mode = v.integer("security_mode") else { return }
            status.server = ClientStatus.Server(bootstrap: v.integer("bootstrap_flag") == 1, host: host, port: port,
                                                endpoint: endpoint, lifetime: lifetime, securityMode: mode,
                                                pskIdentity: v.string("PSK_ID"), hasPSK: v.given("PSK") != nil,
                                                binding: v.integer("binding_mode"))
        case ("AT+QLACFG", .set):
            let values = Array(v.line.parameters.dropFirst())
            guard let key = v.string("key"), !values.isEmpty else { return }
            applySetting(key, values)
        case ("AT+QLAUPDATE", .set):
            requestedLifetime = v.integer("mode") == 0 ? v.integer("lifetime") : nil
        case ("AT+QLARDRSP", .set), ("AT+QLAOBSRSP", .set), ("AT+QLAWRRSP", .set), ("AT+QLAEXERSP", .set):
            answered(v)
        case ("AT+QLANOTIFY", .set):
            if let o = v.integer("objectID"), let i = v.integer("instantID"), let r = v.integer("resourceID"),
               let reading = reading(of: v) {
                objects.setValue(reading, at: o, i, r)
            }
        default:
            break
        }
    }

    /// An answer to a server request was accepted: the request is no longer pending.
    private mutating func answered(_ v: ValidatedCommand) {
        guard let id = v.integer("messageID"), let index = pending.firstIndex(where: { $0.messageID == id }) else { return }
        // A value in N parts is answered by N commands; index 0 is the last.
        if let part = v.integer("index"), part != 0 { return }
        let request = pending.remove(at: index)
        let result = v.integer("result")
        if let o = v.integer("objectID"), let i = v.integer("instantID"), let r = v.integer("resourceID"),
           let reading = reading(of: v) {
            objects.setValue(reading, at: o, i, r)
        }
        switch request.operation {
        case .observe where result == RequestResult.content.rawValue:
            objects.setObserved(true, at: request.objectID, request.instanceID, request.resourceID)
        case .cancelObserve where result == RequestResult.content.rawValue:
            objects.setObserved(false, at: request.objectID, request.instanceID, request.resourceID)
        default:
            break
        }
    }

    private func reading(of v: ValidatedCommand) -> ResourceReading? {
        guard let type = v.integer("value_type"), let value = v.given("value") else { return nil }
        return ResourceReading(valueType: type, value: value)
    }

    private mutating func applySetting(_ key: String, _ values: [ATValue]) {
        status.settings[key] = values
        if key == QLACFGKey.cfgRes.rawValue, values.count == 4,
           let o = values[0].integerValue, let i = values[1].integerValue, let r = values[2].integerValue {
            objects.setValue(ResourceReading(valueType: ATValueType.string.rawValue, value: values[3]), at: o, i, r)
        }
    }

    // MARK: Information lines

    mutating func handleInformation(_ name: String, _ values: [ATValue], at now: Instant) {
        let answeringQuery = inFlight.map { command in
            command.validated.map { $0.responseName == name && ($0.form == .query || $0.form == .test) } ?? false
        } ?? false
        if answeringQuery { inFlight?.information.append(values) }
        switch name {
        case "QLASTATUS":
            if let n = values.first?.integerValue, let s = LwM2MStatus(rawValue: n) {
                status.lwm2m = s
                status.lwm2mSource = "AT+QLASTATUS?"
            }
        case "QLACONFIG":
            applyConfigurationAnswer(values)
        case "QLACFG":
            if case .string(let key)? = values.first, values.count > 1 { applySetting(key, Array(values.dropFirst())) }
        case _ where Self.resultLineNames.contains(name) && !answeringQuery:
            guard let code = values.first?.integerValue else { return }
            recordResult(name, code, at: now)
            switch (name, code) {
            case ("QLAREG", 0):
                status.lwm2m = .registered
                status.lwm2mSource = "+QLAREG: 0"
                status.lastRegistrationAt = now
            case ("QLADEREG", 0):
                status.lwm2m = .deregistered
                status.lwm2mSource = "+QLADEREG: 0"
                status.lastRegistrationAt = nil
            case ("QLAUPDATE", 0):
                status.lastRegistrationAt = now
                if let lifetime = requestedLifetime { status.server?.lifetime = lifetime }
                requestedLifetime = nil
            case ("QLANOTIFY", 0), ("QLASENDDATA", 0), ("QLASENDATA", 0):
                status.counters.uplinks += 1
            default:
                break
            }
        default:
            break
        }
    }

    /// `+QLACONFIG: 0,<serverIP>,<port>,<endpoint_name>,<lifetime>,<security_mode>[,<PSK_ID>,<PSK>],<binding_mode>`
    private mutating func applyConfigurationAnswer(_ values: [ATValue]) {
        guard values.count >= 6, let host = values[1].stringValue, let port = values[2].integerValue,
              let endpoint = values[3].stringValue, let lifetime = values[4].integerValue,
              let mode = values[5].integerValue else { return }
        let withPSK = mode == 0 && values.count >= 8
        status.server = ClientStatus.Server(bootstrap: values[0].integerValue == 1, host: host, port: port,
                                            endpoint: endpoint, lifetime: lifetime, securityMode: mode,
                                            pskIdentity: withPSK ? values[6].stringValue : nil, hasPSK: withPSK,
                                            binding: values.count > (withPSK ? 8 : 6) ? values.last?.integerValue : nil)
    }

    private mutating func recordResult(_ source: String, _ code: Int64, at now: Instant) {
        status.lastResult = ClientStatus.LastResult(source: source, code: code, at: now)
        if code == ResultCode.timeout.rawValue { status.counters.timeouts += 1 }
    }

    // MARK: URCs

    mutating func handle(_ urc: URC, request: ServerRequest?, at now: Instant) {
        status.counters.urcs += 1
        if let request {
            objects.mention(request.objectID, request.instanceID, request.resourceID)
            if let written = request.writtenValue {
                objects.setValue(written, at: request.objectID, request.instanceID, request.resourceID)
            }
            let autoAnswered = (request.operation == .observe || request.operation == .cancelObserve)
                && status.settings[QLACFGKey.autoAck.rawValue]?.first == .integer(1)
            if autoAnswered {
                objects.setObserved(request.operation == .observe, at: request.objectID, request.instanceID, request.resourceID)
            } else {
                // A write in N parts prints N URCs with one message id: one pending request.
                pending.removeAll { $0.messageID == request.messageID }
                pending.append(request)
            }
            return
        }
        switch urc {
        case .ping(let code):
            recordResult("ping", code, at: now)
            if code == 0 { status.lastRegistrationAt = now }
        case .reportAck(let code, _), .sendAck(let code, _):
            recordResult(urc.keyword ?? "", code, at: now)
            if code == 0 { status.counters.acknowledged += 1 }
        case .recovered(let code):
            recordResult("recovered", code, at: now)
            if code == 0 {
                status.lwm2m = .registered
                status.lwm2mSource = "+QLAURC: \"recovered\",0"
            }
        case .lifetimeChanged(let lifetime):
            status.server?.lifetime = lifetime
        case .bindingChanged(let binding):
            status.server?.binding = binding == "UQ" ? 1 : 0
        case .deepSleep(let entered):
            status.asleep = entered
        default:
            break
        }
    }
}
