import { createContext, useContext } from 'react';
import { WELL_KNOWN_EVENTS } from '../../../engine/events/schema.js';
import { accountFieldVocabulary, type AccountFieldVocabulary } from '../../../engine/playbook/account-fields.js';
import type { Catalogue, TemplateRecord } from '../api/catalogue.js';

/** What the forms offer to pick from: this install's account fields, templates, people and known event names. */
export interface FormCatalogue {
  vocabulary: AccountFieldVocabulary;
  templates: readonly TemplateRecord[];
  events: readonly string[];
  /** Who an assignOwner step may name: the install's CSMs (and managers), and its team leads (managers). */
  people: { csms: readonly string[]; managers: readonly string[] };
  /** The playbook's steps, for fields that name one (a scripted approval's nodeId). */
  steps: readonly { id: string; label: string; type: string }[];
}

export function formCatalogue(
  catalogue: Catalogue | undefined,
  eventsInUse: readonly string[] = [],
  steps: FormCatalogue['steps'] = [],
): FormCatalogue {
  return {
    steps,
    vocabulary: accountFieldVocabulary(catalogue?.compileContext.accountFields),
    templates: catalogue?.templates ?? [],
    people: {
      csms: catalogue?.compileContext.people?.csms ?? [],
      managers: Object.keys(catalogue?.compileContext.people?.teams ?? {}),
    },
    events: [...new Set([...Object.keys(WELL_KNOWN_EVENTS), ...eventsInUse])].sort(),
  };
}

const CatalogueContext = createContext<FormCatalogue>(formCatalogue(undefined));
export const CatalogueProvider = CatalogueContext.Provider;
export const useFormCatalogue = () => useContext(CatalogueContext);
