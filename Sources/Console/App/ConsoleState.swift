import ATProtocol
import CoAP

/// The console without its terminal: the session model, the input line, the log view, and
/// what each key does. A driver feeds it keys and the module's bytes and carries out the
/// actions it returns; a renderer draws it (``ConsoleScreen``).
///
/// Contract: pure; `handle` and `received` never block and never trap. Enter sends the line as
/// typed (a line the catalogue rejects is still sent, to let the module say `ERROR`). When a
/// server request arrives and the input line is empty, its suggested answer is put there.
public struct ConsoleState: Sendable {
    public enum Action: Hashable, Sendable {
        /// Send this line to the module (the link adds the terminator).
        case send(String)
        /// A `:` line for the embedded platform (emulator backend only).
        case platform(PlatformPlay)
        case quit
        /// Save the transcript so far as an `.at` script (F5, Ctrl-S): the script's text.
        case saveScript(String)
    }

    public internal(set) var model: SessionModel
    public internal(set) var editor: LineEditor
    public internal(set) var logView = LogView()
    /// Timestamps, filter and search of the log pane.
    public internal(set) var logDisplay = LogDisplay()
    /// A prompt in the help bar taking the keys (log search, filter, history search), if open.
    public internal(set) var prompt: ConsolePrompt?
    /// The command reference shown over the panes (F1), if open.
    public internal(set) var reference: CommandSpec?
    public internal(set) var showsKeyHelp = false
    /// Candidates of the last Tab with more than one.
    public internal(set) var completionCandidates: [String] = []
    /// The answer last put in the input line, so each is offered once.
    public internal(set) var offeredAnswer: String?
    /// Rows the log pane shows, for paging (set by ``fit(width:height:)``).
    public var logPageRows = 10
    /// Which object tree lines show, and whether PgUp/PgDn/Home/End move them (F8) instead of
    /// the log's.
    public internal(set) var treeView = TreeView()
    public internal(set) var treeFocused = false
    /// Rows inside the object tree pane (set by ``fit(width:height:)``).
    public var treeRows = 4
    /// The link can play the platform (`:` lines): true for the emulator backend.
    public var playsPlatform = false
    /// The guided example being followed (`--walkthrough`), if any.
    public internal(set) var walkthrough: Walkthrough?
    /// The walkthrough step whose line was last put in the input, so each is offered once.
    var offeredStep: Int?
    private var framer = LineFramer.moduleOutput()

    public init(model: SessionModel = SessionModel(), history: [String] = []) {
        self.model = model
        editor = LineEditor(history: history)
        offerAnswer()
    }

    public var hint: CommandHint { CommandHint(line: editor.text, cursor: editor.cursor, catalogue: model.catalogue) }

    /// Bytes from the module: framed into lines and fed to the model.
    public mutating func received(_ bytes: [UInt8], now: Instant) {
        let before = model.log.appendedCount
        for line in framer.append(bytes) { model.received(line, at: now) }
        followWalkthrough(logEntriesFrom: before, now: now)
        offerAnswer()
    }

    /// A note from the console itself (link events).
    public mutating func note(_ text: String, now: Instant) { model.note(text, at: now) }

    public mutating func setLink(_ description: String) { model.setLink(description) }

    /// The link dropped: a half-received line is discarded.
    public mutating func linkReset() { framer.reset() }

    public mutating func handle(_ key: Key, now: Instant) -> [Action] {
        if key != .tab { completionCandidates = [] }
        if let actions = handlePrompt(key, now: now) { return actions }
        switch key {
        case .function(10), .control("c"):
            return [.quit]
        case .function(1):
            if reference != nil || showsKeyHelp {
                reference = nil
                showsKeyHelp = false
            } else if let spec = hint.spec {
                reference = spec
            } else {
                showsKeyHelp = true
            }
        case .function(2):
            if let answer = model.suggestedAnswer { editor.setText(answer) }
        case .function(3):
            if let line = walkthrough?.suggestedLine { editor.setText(line) }
        case .escape:
            if reference == nil, !showsKeyHelp { logDisplay.search = "" }
            reference = nil
            showsKeyHelp = false
        case .enter:
            let line = editor.submit().trimmingSpaces
            guard !line.isEmpty else { return [] }
            logView.end()
            if let play = PlatformPlay(line) { return platformLine(play, now: now) }
            model.sent(line, at: now)
            walkthroughSent(line, now: now)
            return [.send(line)]
        case .tab:
            complete()
        case .function(8) where walkthrough == nil:
            treeFocused.toggle()
        case .pageUp where treeFocused, .pageDown where treeFocused:
            let lines = TreePane.lines(model)
            treeView.page(key == .pageUp ? -1 : 1, count: lines.count, rows: treeRows, reveal: TreePane.firstPending(lines))
        case .home where treeFocused && editor.isEmpty:
            treeView.home()
        case .end where treeFocused && editor.isEmpty:
            treeView.release()
        case .pageUp where logDisplay.isFiltering:
            pageFilteredLog(back: max(1, logPageRows - 1))
        case .pageDown where logDisplay.isFiltering:
            pageFilteredLog(back: -max(1, logPageRows - 1))
        case .pageUp:
            logView.pageUp(model.log, page: max(1, logPageRows - 1))
        case .pageDown:
            logView.pageDown(model.log, page: max(1, logPageRows - 1))
        case .character("/") where editor.isEmpty:
            prompt = .search("")
        case .character("n") where editor.isEmpty && !logDisplay.search.isEmpty:
            jumpToMatch(older: true)
        case .character("N") where editor.isEmpty && !logDisplay.search.isEmpty:
            jumpToMatch(older: false)
        case .control("r"):
            prompt = .history(HistorySearch(original: editor.text))
        case .function(4):
            prompt = .filter
        case .function(5), .control("s"):
            return [.saveScript(TranscriptScript.text(of: model.log))]
        case .function(6):
            logDisplay.cycleTimestamps()
        case .function(7):
            if logView.follow { logView.pause(model.log) } else { logView.end() }
        case .home where editor.isEmpty:
            logView.top(model.log, page: logPageRows)
        case .end where editor.isEmpty:
            logView.end()
        case .resize:
            break
        default:
            editor.handle(key)
        }
        return []
    }

    /// Takes the pane sizes of a `width` × `height` terminal, for paging.
    public mutating func fit(width: Int, height: Int) {
        let layout = ConsoleLayout(width: width, height: height)
        logPageRows = max(1, layout.log.height - 2)
        treeRows = max(1, layout.tree.height - 2)
    }

    private mutating func complete() {
        guard let result = Completion.complete(editor.textBeforeCursor, catalogue: model.catalogue) else { return }
        editor.replaceBeforeCursor(count: result.replacedCount, with: result.replacement)
        completionCandidates = result.candidates.count > 1 ? result.candidates : []
    }

    private mutating func offerAnswer() {
        // A walkthrough offers the note's own line instead (F2 still gives this one).
        guard walkthrough == nil, let answer = model.suggestedAnswer, answer != offeredAnswer else { return }
        offeredAnswer = answer
        if editor.isEmpty { editor.setText(answer) }
    }
}
