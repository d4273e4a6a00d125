import { QwcHotReloadElement, html, css } from 'qwc-hot-reload-element';
import { JsonRpc } from 'jsonrpc';

/** The dead letters waiting, newest first, each with replay (as POST /errand/dead-letters/{id}/replay). */
export class QwcErrandDeadLetters extends QwcHotReloadElement {

    jsonRpc = new JsonRpc(this);

    static properties = { _letters: { state: true }, _replayed: { state: true } };

    static styles = css`
        :host { display: block; padding: 0 1em; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--lumo-contrast-10pct); vertical-align: top; }
        .none { color: var(--lumo-secondary-text-color); }
        code { font-size: var(--lumo-font-size-s); }
    `;

    constructor() {
        super();
        this._replayed = [];
    }

    connectedCallback() {
        super.connectedCallback();
        this.hotReload();
    }

    hotReload() {
        this.jsonRpc.deadLetters().then(response => { this._letters = response.result; });
    }

    _replay(id) {
        this.jsonRpc.replay({ id: id }).then(() => {
            this._replayed = [...this._replayed, id];
            this.hotReload();
        });
    }

    render() {
        if (!this._letters) {
            return html`<vaadin-progress-bar indeterminate></vaadin-progress-bar>`;
        }
        return html`
            <p id="replayed" class="none">${this._replayed.length ? 'Replayed: ' + this._replayed.join(', ') : ''}
                <button id="refresh" @click=${() => this.hotReload()}>Refresh</button></p>
            ${this._letters.length === 0 ? html`<p class="none" id="no-dead-letters">No dead letter waits.</p>` : html`
            <table id="dead-letters">
                <tr><th>Id</th><th>Queue</th><th>Reason</th><th>Error</th><th>Attempts</th><th>Dead-lettered</th><th></th></tr>
                ${this._letters.map(l => html`
                <tr data-id="${l.id}" data-message-id="${l.messageId}">
                    <td>${l.id}</td><td><code>${l.queue}</code></td><td>${l.reason}</td>
                    <td>${l.errorClass}: ${l.errorMessage}</td><td>${l.attempts}</td><td>${l.deadLetteredAt}</td>
                    <td><button class="replay" @click=${() => this._replay(l.id)}>Replay</button></td>
                </tr>`)}
            </table>`}`;
    }
}
customElements.define('qwc-errand-dead-letters', QwcErrandDeadLetters);
