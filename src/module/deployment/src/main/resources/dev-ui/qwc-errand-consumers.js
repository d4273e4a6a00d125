import { QwcHotReloadElement, html, css } from 'qwc-hot-reload-element';
import { JsonRpc } from 'jsonrpc';

/** Every consumer as it runs now, read every two seconds, with pause and resume (as POST /errand/consumers/{channel}/pause). */
export class QwcErrandConsumers extends QwcHotReloadElement {

    jsonRpc = new JsonRpc(this);

    static properties = { _consumers: { state: true }, _error: { state: true } };

    static styles = css`
        :host { display: block; padding: 0 1em; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--lumo-contrast-10pct); }
        .paused { color: var(--lumo-error-text-color); }
    `;

    connectedCallback() {
        super.connectedCallback();
        this.hotReload();
        this._timer = setInterval(() => this.hotReload(), 2000);
    }

    disconnectedCallback() {
        clearInterval(this._timer);
        super.disconnectedCallback();
    }

    hotReload() {
        this.jsonRpc.consumers()
            .then(response => { this._consumers = response.result; this._error = null; })
            .catch(error => { this._error = error.error ? error.error.message : String(error); });
    }

    _switch(channel, pause) {
        const call = pause ? this.jsonRpc.pause({ channel: channel }) : this.jsonRpc.resume({ channel: channel });
        call.then(() => this.hotReload());
    }

    render() {
        if (this._error) {
            return html`<p class="paused">${this._error}</p>`;
        }
        if (!this._consumers) {
            return html`<vaadin-progress-bar indeterminate></vaadin-progress-bar>`;
        }
        return html`
            <table id="consumers">
                <tr><th>Channel</th><th>Running</th><th>Waiting</th><th>Limit</th><th>Started</th><th>Paused for</th><th></th></tr>
                ${this._consumers.map(c => {
                    const byOperator = c.pausedFor.includes('OPERATOR');
                    return html`
                <tr data-channel="${c.channel}" data-paused="${c.pausedFor.length > 0}">
                    <td>${c.channel}</td><td>${c.running}</td><td>${c.waiting}</td><td>${c.concurrencyLimit}</td>
                    <td>${c.started}</td>
                    <td class="paused">${c.pausedFor.join(', ')}</td>
                    <td><button class="${byOperator ? 'resume' : 'pause'}" @click=${() => this._switch(c.channel, !byOperator)}>
                        ${byOperator ? 'Resume' : 'Pause'}</button></td>
                </tr>`;
                })}
            </table>`;
    }
}
customElements.define('qwc-errand-consumers', QwcErrandConsumers);
