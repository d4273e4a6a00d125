import { QwcHotReloadElement, html, css } from 'qwc-hot-reload-element';
import { JsonRpc } from 'jsonrpc';

/** The newest workflows; a click shows one's steps with their start, end, attempts and duration. */
export class QwcErrandWorkflows extends QwcHotReloadElement {

    jsonRpc = new JsonRpc(this);

    static properties = { _workflows: { state: true }, _chosen: { state: true }, _steps: { state: true } };

    static styles = css`
        :host { display: block; padding: 0 1em; }
        table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--lumo-contrast-10pct); vertical-align: top; }
        tr.workflow { cursor: pointer; }
        tr.chosen { background: var(--lumo-primary-color-10pct); }
        .failing { color: var(--lumo-error-text-color); }
        .none { color: var(--lumo-secondary-text-color); }
    `;

    connectedCallback() {
        super.connectedCallback();
        this.hotReload();
    }

    hotReload() {
        this.jsonRpc.workflows().then(response => { this._workflows = response.result; });
        if (this._chosen) {
            this._show(this._chosen);
        }
    }

    _show(id) {
        this._chosen = id;
        this.jsonRpc.steps({ callId: id }).then(response => { this._steps = response.result; });
    }

    render() {
        if (!this._workflows) {
            return html`<vaadin-progress-bar indeterminate></vaadin-progress-bar>`;
        }
        return html`
            <button id="refresh" @click=${() => this.hotReload()}>Refresh</button>
            ${this._workflows.length === 0 ? html`<p class="none">No workflow has run yet.</p>` : html`
            <table id="workflows">
                <tr><th>Id</th><th>Workflow</th><th>State</th><th>Current step</th><th>Started</th><th>Finished</th></tr>
                ${this._workflows.map(w => html`
                <tr class="workflow ${w.id === this._chosen ? 'chosen' : ''}" data-id="${w.id}" @click=${() => this._show(w.id)}>
                    <td>${w.id}</td><td>${w.function}</td><td>${w.state}</td><td>${w.currentStep || ''}</td>
                    <td>${w.startedAt || ''}</td><td>${w.finishedAt || ''}</td>
                </tr>`)}
            </table>`}
            ${this._chosen && this._steps ? html`
            <h3>Steps of ${this._chosen}</h3>
            <table id="steps">
                <tr><th>#</th><th>Step</th><th>Started</th><th>Finished</th><th>Attempts</th><th>Duration</th><th>Last error</th></tr>
                ${this._steps.map(s => html`
                <tr data-step="${s.name}" class="${s.finishedAt ? '' : 'failing'}">
                    <td>${s.seq}</td><td>${s.name}${s.compensation ? ' (compensation)' : ''}</td>
                    <td>${s.startedAt || ''}</td><td>${s.finishedAt || ''}</td>
                    <td class="attempts">${s.attempts}</td>
                    <td>${s.durationMillis == null ? '' : s.durationMillis + ' ms'}</td><td>${s.lastError || ''}</td>
                </tr>`)}
            </table>` : ''}`;
    }
}
customElements.define('qwc-errand-workflows', QwcErrandWorkflows);
