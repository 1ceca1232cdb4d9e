import CoAP
@testable import Console

/// The note's chapter 4 exchanges as the console sees them: `> ` marks a line the terminal
/// sent, every other line is what the module printed.
enum Transcripts {
    static let ctIoT = """
        RDY
        +CFUN: 1
        +CPIN: READY
        > AT+QSCLK=0
        OK
        > AT+CEREG?
        +CEREG: 0,1
        OK
        > AT+CGPADDR?
        +CGPADDR: 0,"10.177.135.245"
        OK
        > AT+QLACFG="platform",0
        OK
        > AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3
        OK
        > AT+QLAADDOBJ=19,0,1,0
        OK
        > AT+QLAADDOBJ=19,1,1,0
        OK
        > AT+QLAREG
        OK
        +QLAREG: 0
        +QLAURC: "observe",23618,0,19,0,0
        """

    static let ctIoTAnswerAndNotify = """
        > AT+QLAOBSRSP=23618,1,19,0,0,2,9,"020001000400023238",0
        OK
        +QLAOBSRSP: 0
        > AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,0
        OK
        +QLANOTIFY: 0
        > AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,1
        OK
        +QLAURC: "report",8563
        +QLANOTIFY: 0
        +QLAURC: "report_ack",0,8563
        > AT+QLAUPDATE=0,100
        OK
        +QLAUPDATE: 0,41760
        """

    static let ctIoTDeregister = """
        > AT+QLADEREG
        OK
        +QLADEREG: 0
        > AT+QSCLK=1
        OK
        +QNBIOEVENT: "ENTER DEEPSLEEP"
        """

    static let andlinkReadHex = "7b226f75746c6574537461747573223a2231222c2273657454696d65223a2231222c226669726d77617265223a22312e30222c22736f667456657273696f6e223a22312e30227d"

    static let andlink = """
        > AT+QLACFG="platform",2
        OK
        > AT+QLACFG="cfg_res",3,0,17,"500677"
        OK
        > AT+QLAADDOBJ=19,1,1,0
        OK
        > AT+QLACONFIG=1,"lwm.home.komect.com",5683,"866971031275899",30,3
        OK
        > AT+QLAREG
        OK
        +QLAURC: "binding_changed",U
        +QLAURC: "bs_finished"
        +QLAREG: 0
        +QLAURC: "read",8095,19,1,0
        """

    static let andlinkAnswers = """
        > AT+QLARDRSP=8095,1,19,1,0,2,71,"\(andlinkReadHex)",0
        OK
        +QLARDRSP: 0
        +QLAURC: "write",8096,19,1,0,1,20,"{"outletStatus":"1"}",0
        """

    /// Feeds `transcript` to `model`, one line every 100 ms from `start`; returns the next time.
    @discardableResult
    static func feed(_ transcript: String, to model: inout SessionModel, from start: Instant = .zero) -> Instant {
        var now = start
        for line in transcript.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("> ") {
                model.sent(String(line.dropFirst(2)), at: now)
            } else {
                model.received(String(line), at: now)
            }
            now = now + 100
        }
        return now
    }
}
