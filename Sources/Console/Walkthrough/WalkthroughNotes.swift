import ATProtocol

/// Short notes on why each step of a walkthrough is there, keyed by the start of the line it
/// sends (the longest matching key wins). The command's own reference comes from the catalogue;
/// these say what the step does in the example.
enum WalkthroughNotes {
    static let byPrefix: [(prefix: String, note: String)] = [
        ("AT+QSCLK=0", "Keep the module awake (休眠模式 off) while you work through the steps."),
        ("AT+QSCLK=1", "Work done: allow deep sleep again. An idle module then enters deep sleep (+QNBIOEVENT: \"ENTER DEEPSLEEP\")."),
        ("AT+CEREG?", "Is the module on the NB-IoT network (注网状态)? 0,1: registered on its home network."),
        ("AT+CGPADDR?", "The PDP address the network gave the module: the platform sees the module's datagrams come from it."),
        ("AT+QLACFG=\"platform\"", "Which platform the module talks to: 0 CT IoT, 1 CT AEP, 2 CM Andlink. Each has its own registration rules."),
        ("AT+QLACFG=\"cfg_res\"", "Andlink wants the product type in a resource before registration; this sets it."),
        ("AT+QLACONFIG=", "The server: address, port, endpoint name, lifetime in seconds, and security mode 3 (no DTLS)."),
        ("AT+QLAADDOBJ=", "Add an instance of object 19 (binary app data container) so the platform can read, observe or write it."),
        ("AT+QLAREG", "Register. OK only means the request left; +QLAREG: 0 says the platform accepted it, and the platform's own requests follow as URCs."),
        ("AT+QLAOBSRSP=", "Answer the platform's observe (the URC above): its message id, 1 to accept, the path, and the current value as hex."),
        ("AT+QLANOTIFY=", "Report the observed value. ACK 0 sends it unconfirmed; ACK 1 asks the platform to confirm: +QLAURC: \"report_ack\" quotes the message id."),
        ("AT+QLAUPDATE=", "Refresh the registration with a new lifetime; +QLAUPDATE: 0,<message id> confirms it."),
        ("AT+QLADEREG", "Deregister: the platform ends the session; +QLADEREG: 0 confirms."),
        ("AT+QLARDRSP=", "Answer the platform's read (the URC above) with its message id and the value: JSON text, as hex."),
        ("AT+QLAWRRSP=", "Answer the platform's write: 2 means changed (2.04). The value it wrote is in the URC."),
        ("AT+QLASENDATA=", "Send data without being asked (LwM2M Send, SenML JSON as hex); ACK 1 asks for +QLAURC: \"send_ack\"."),
        ("AT+QLASENDDATA=", "Send data without being asked (LwM2M Send, SenML JSON as hex); ACK 1 asks for +QLAURC: \"send_ack\"."),
        ("AT", "Any AT line wakes the module from deep sleep; it then resumes its LwM2M session (+QLAURC: \"recovered\",0)."),
    ]

    static func note(for line: String) -> String? {
        let upper = line.uppercased()
        return byPrefix.filter { upper.hasPrefix($0.prefix.uppercased()) }.max { $0.prefix.count < $1.prefix.count }?.note
    }
}

extension Walkthrough {
    /// What the console shows about the current step: the command's reference line from the
    /// catalogue (English, with the note's Chinese title), why the step is there, and the note's
    /// own annotations on the step's lines.
    public func explanation(catalogue: CommandCatalogue = .bc260y) -> [String] {
        guard let step else { return ["All steps of section \(section.noteSection) passed. Type on, or F10 to quit."] }
        let line = suggestedLine ?? step.send.description
        var out: [String] = []
        if let spec = catalogue.command(named: Self.commandWord(line)) {
            var title = "\(spec.name): \(spec.summary)"
            if let chinese = spec.chineseTitle { title += " (\(chinese))" }
            if let s = spec.section { title += ", note §\(s)" }
            out.append(title)
        }
        if let note = WalkthroughNotes.note(for: line) { out.append(note) }
        if !step.noteComments.isEmpty { out.append("The note: " + step.noteComments.joined(separator: " ")) }
        let expected = step.expected.filter { !$0.optional }.map(\.pattern.description)
        if !expected.isEmpty { out.append("Expect: " + expected.joined(separator: " · ")) }
        return out
    }
}
