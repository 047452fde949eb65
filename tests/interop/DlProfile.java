// The OWL API's OWL 2 DL profile check of one ontology document; prints one line per violation
// ("<kind>\t<message>") and a last line "violations N". Run with Java's source launcher against the
// OWL API that owlready2's HermiT.jar contains:  java -cp HermiT.jar DlProfile.java FILE
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class DlProfile {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation v : report.getViolations()) {
            System.out.println(v.getClass().getSimpleName() + "\t" + v.toString().replace('\n', ' '));
        }
        System.out.println("violations " + report.getViolations().size());
    }
}
